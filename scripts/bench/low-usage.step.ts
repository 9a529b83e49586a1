import { atMost, ms, type Figure } from './figures';
import { BENCH_KEYS, type ServiceProcess } from './processes';

interface AutocannonResult {
  readonly latency: {
    readonly p50: number;
    readonly p90: number;
    readonly p97_5: number;
    readonly p99: number;
    readonly p99_9: number;
    readonly max: number;
    readonly average: number;
  };
  readonly requests: { readonly average: number; readonly total: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

/**
 * Figure 7: `GET /profiles/{id}/low-usage?limit=100` under `connections` concurrent clients for
 * `seconds`. One request first (it computes the list the others page from; its time is
 * reported apart); a recomputation when the minute turns during the run counts in p99.
 */
export async function benchLowUsage(
  service: ServiceProcess,
  profileId: string,
  subscriptions: number,
  options: { connections: number; seconds: number },
): Promise<Figure[]> {
  const url = `${service.url}/api/v1/profiles/${profileId}/low-usage?limit=100`;
  const headers = { Authorization: `Bearer ${BENCH_KEYS.auditor}` };
  const started = performance.now();
  const first = await fetch(url, { headers });
  const body = (await first.json()) as { items: unknown[] };
  if (first.status !== 200) throw new Error(`low-usage answered ${first.status}: ${JSON.stringify(body)}`);
  const firstMs = performance.now() - started;

  const result = await autocannon({ url, headers, connections: options.connections, duration: options.seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`low-usage under load: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const data = {
    subscriptions,
    connections: options.connections,
    seconds: options.seconds,
    firstRequestMs: firstMs,
    itemsOnPage: body.items.length,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p97_5Ms: result.latency.p97_5,
    p99Ms: result.latency.p99,
    p99_9Ms: result.latency.p99_9,
    maxMs: result.latency.max,
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
  };
  return [
    {
      ...atMost(
        'low-usage-p99',
        `low-usage?limit=100, ${options.connections} clients, ${subscriptions} subscriptions: p99`,
        result.latency.p99,
        50,
        ms,
        data,
      ),
      measured: `p99 ${ms(result.latency.p99)} (p50 ${ms(result.latency.p50)}, ${Math.round(result.requests.average)} req/s)`,
    },
  ];
}
