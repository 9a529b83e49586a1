/** Command-line options of `npm run bench`. */
export interface BenchArgs {
  /** Graph users in the sandbox tenant (about 2.5 Dynamics/Power assignments each). */
  readonly users: number;
  /** Events in the generated store for the rebuild and restart figures. */
  readonly events: number;
  /** Events per appendMany in the append-throughput figure (0 = the first sync of `users`). */
  readonly appendEvents: number;
  readonly seed: number;
  /** autocannon: clients and seconds against the low-usage endpoint. */
  readonly connections: number;
  readonly seconds: number;
  /** Where the Markdown report goes; null = not written. */
  readonly markdown: string | null;
  readonly json: string | null;
  /** Only these steps (comma-separated names), for iterating on one figure. */
  readonly only: ReadonlySet<string> | null;
  /** Write .cpuprofile files of the service processes (and of the bench process's own steps) here. */
  readonly cpuProfileDir: string | null;
  readonly keepFiles: boolean;
  /** NODE_OPTIONS for the service processes (e.g. V8 heap flags to compare); none by default, as `npm start`. */
  readonly serviceNodeOptions: string | null;
  /** The sandbox's `--latency` for the latency and filtered-read steps. */
  readonly latency: string;
  /** Events of the EventStoreDB comparison (the start of a first download; 0 = all of it). */
  readonly esdbEvents: number;
}

export const STEP_NAMES = [
  'jobs',
  'low-usage',
  'append',
  'rebuild',
  'restart',
  'loop-block',
  'latency',
  'filtered-read',
  'esdb',
] as const;

export const USAGE = `usage: npm run bench -- [--users N] [--events N] [--append-events N] [--seed N]
       [--connections N] [--seconds N] [--markdown PATH|--no-markdown] [--json PATH]
       [--only ${STEP_NAMES.join(',')}] [--cpu-prof DIR] [--keep-files] [--service-node-options "FLAGS"]
       [--latency MS±JITTER (80±40)] [--esdb-events N (50000; 0 = a whole first download)]`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args = {
    users: 100_000,
    events: 1_000_000,
    appendEvents: 0,
    seed: 1,
    connections: 50,
    seconds: 15,
    markdown: 'BENCHMARKS.md' as string | null,
    json: null as string | null,
    only: null as Set<string> | null,
    cpuProfileDir: null as string | null,
    keepFiles: false,
    serviceNodeOptions: null as string | null,
    latency: '80±40',
    esdbEvents: 50_000,
  };
  const whole = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value?.replace(/_/g, ''));
    if (value === undefined || !Number.isInteger(n) || n < min)
      throw new Error(`${flag} needs a whole number of at least ${min}, got '${value ?? ''}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--users':
        args.users = whole(flag, value(), 10);
        break;
      case '--events':
        args.events = whole(flag, value(), 1_000);
        break;
      case '--append-events':
        args.appendEvents = whole(flag, value(), 0);
        break;
      case '--seed':
        args.seed = whole(flag, value(), 0);
        break;
      case '--connections':
        args.connections = whole(flag, value(), 1);
        break;
      case '--seconds':
        args.seconds = whole(flag, value(), 1);
        break;
      case '--markdown':
        args.markdown = value() ?? null;
        break;
      case '--no-markdown':
        args.markdown = null;
        break;
      case '--json':
        args.json = value() ?? null;
        break;
      case '--cpu-prof':
        args.cpuProfileDir = value() ?? null;
        break;
      case '--keep-files':
        args.keepFiles = true;
        break;
      case '--service-node-options':
        args.serviceNodeOptions = value() ?? null;
        break;
      case '--latency': {
        const text = value() ?? '';
        if (!/^\d+(\.\d+)?(\s*(±|\+-)\s*\d+(\.\d+)?)?$/.test(text))
          throw new Error(`--latency takes MS or MS±JITTER, got '${text}'`);
        args.latency = text;
        break;
      }
      case '--esdb-events':
        args.esdbEvents = whole(flag, value(), 0);
        break;
      case '--only': {
        const names = (value() ?? '').split(',').filter(Boolean);
        const unknown = names.filter((n) => !(STEP_NAMES as readonly string[]).includes(n));
        if (names.length === 0 || unknown.length > 0)
          throw new Error(`--only takes ${STEP_NAMES.join(',')}; got '${names.join(',')}'`);
        args.only = new Set(names);
        break;
      }
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

export const runs = (args: BenchArgs, step: (typeof STEP_NAMES)[number]): boolean =>
  args.only === null || args.only.has(step);
