import { parseLatency } from '../../src/sandbox';
import { runs, type BenchArgs } from './args';
import { benchEsdb } from './esdb.step';
import type { ExtraSection } from './extra-report';
import { benchFilteredRead } from './filtered-read.step';
import { benchLatency } from './latency.step';
import { firstEvents, LedgerHistory } from './ledger-history';

/** The issue-14 measurements that have no target (items 3-5), each only when selected. */
export async function benchExtras(
  args: BenchArgs,
  dir: string,
  log: (line: string) => void,
  elapsed: () => string,
): Promise<ExtraSection[]> {
  const sections: ExtraSection[] = [];
  const latency = parseLatency(args.latency);
  if (runs(args, 'latency')) {
    log(`[${elapsed()}] nightly run at ${args.latency} ms per request with Microsoft's throttling (issue 14, 3)...`);
    sections.push(
      await benchLatency(
        { users: args.users, seed: args.seed, latency, dir, nodeOptions: args.serviceNodeOptions },
        log,
      ),
    );
  }
  if (runs(args, 'filtered-read')) {
    log(`[${elapsed()}] filtered user read on a 10 %-licensed tenant (issue 14, 4)...`);
    sections.push(
      await benchFilteredRead({ users: args.users, seed: args.seed, licensedShare: 0.1, latency, dir }, log),
    );
  }
  if (runs(args, 'esdb')) {
    log(`[${elapsed()}] EventStoreDB adapter on the wire test server vs SQLite (issue 14, 5)...`);
    const first = new LedgerHistory(args.users, args.seed).next();
    const appends = args.esdbEvents > 0 ? firstEvents(first, args.esdbEvents) : first;
    sections.push(await benchEsdb(dir, appends, log));
  }
  return sections;
}
