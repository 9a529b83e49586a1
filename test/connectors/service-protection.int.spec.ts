import { USER_LICENSE_SELECT } from '../../src/connectors';
import { collect, startHarness, type Harness } from './support/harness';

/**
 * The connectors against the sandbox's `throttling` option (Microsoft's service protection limits,
 * answered with 429 and Retry-After): a read that exceeds the quota is slowed down, not failed.
 * The sandbox's clock moves one second per request it admits or refuses, so the token bucket
 * refills at a known rate whatever the machine's speed; the retries wait at most 20 ms (FAST_RETRIES).
 */
describe('connectors under the sandbox throttling', () => {
  let h: Harness;
  let now = 0;
  afterEach(() => h.close());

  it('Graph: a users read past the app bucket gets 429s, honours them, and returns every user once', async () => {
    h = await startHarness({
      users: 60,
      throttling: { graph: { resourceUnitsPer10s: 3 } },
      clock: () => (now += 1_000),
    });
    const graph = h.connectors.clients(h.profile()).graph;
    const { items, pages } = await collect(graph.usersPages(USER_LICENSE_SELECT, 5));
    expect(pages).toBe(12);
    expect(new Set(items.map((user) => user.id)).size).toBe(60);
    const throttled = h.sandbox.loadStats().throttled!;
    expect(throttled.graph).toBeGreaterThan(0);
    expect(h.count('GET /graph/v1.0/users')).toBe(12 + throttled.graph);
  });

  it('Dataverse: the request limit per user is answered with 429 and the read still completes', async () => {
    h = await startHarness({
      users: 60,
      throttling: { dataverse: { requests: 2, windowMs: 6_000 } },
      clock: () => (now += 1_000),
    });
    const dataverse = h.connectors.clients(h.profile()).dataverse!;
    for (let i = 0; i < 4; i++) await dataverse.whoAmI();
    expect(h.sandbox.loadStats().throttled!.dataverseRequests).toBeGreaterThan(0);
  });
});
