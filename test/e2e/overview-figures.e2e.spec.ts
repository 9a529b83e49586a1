import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const SKU = 'DYN365_ENTERPRISE_SALES';

/**
 * A month of history, a week at a time. Events are stamped with the time they are recorded, so
 * the test moves the clock (Date only: every timer stays real) a week forward between steps.
 * It starts three weeks in the past because the sandbox's certificate, checked by OpenSSL
 * against the real time, must already be valid.
 */
describe('the overview’s figures over a month of history: the position series and the savings', () => {
  let s: SandboxApp;
  let id: string;
  let reclaimedSalesAt: string;
  const start = Date.now() - 3 * WEEK_MS - DAY_MS;
  const series = (query: string) => s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position/series?${query}`);
  const positionAsOf = (asOf: string) =>
    s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000&asOf=${encodeURIComponent(asOf)}`);

  beforeAll(async () => {
    jest.useFakeTimers({
      now: start,
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    // No lease renewal (an event) while the test compares the log's head.
    s = await startSandboxApp({
      sandbox: { users: 80, seed: 23 },
      app: { env: { SAM_INSTANCE_LEASE_SECONDS: '3600' } },
    });
    id = await publishedProfile(s);
    await runJob(s, id, 'download-subscriptions');
    await runJob(s, id, 'refresh-activity');

    // Week 1: a user leaves and fewer Sales licenses are owned.
    jest.setSystemTime(start + WEEK_MS);
    const licensed = s.sandbox.tenant.directory.users.filter((u) => u.licenses.length > 0);
    s.sandbox.tenant.deleteUser(licensed[0].id);
    s.sandbox.tenant.setPrepaidUnits(SKU, { enabled: 3 });
    await runJob(s, id, 'download-subscriptions');

    // Week 2: an admin reclaims a Sales license.
    jest.setSystemTime(start + 2 * WEEK_MS);
    const held = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?skuPartNumber=${SKU}`)).body.items;
    const direct = held.find((r: { assignedVia: string }) => r.assignedVia === 'direct');
    const reclaimed = await s.t
      .as('admin')
      .post(`/api/v1/profiles/${id}/reclamations`)
      .send({ userId: direct.userId, skuPartNumber: SKU, dryRun: false });
    expect(reclaimed.body.status).toBe('reclaimed');
    reclaimedSalesAt = new Date().toISOString();

    // Week 3: both jobs again.
    jest.setSystemTime(start + 3 * WEEK_MS);
    await runJob(s, id, 'download-subscriptions');
    await runJob(s, id, 'refresh-activity');
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    jest.useRealTimers();
  });

  it('each weekly point is what license-position?asOf= answers for its moment, and the history shows', async () => {
    // Half a day after each week's changes, and one point a week before anything was recorded.
    const to = new Date(start + 3 * WEEK_MS + DAY_MS / 2).toISOString();
    const answer = await series(`from=${new Date(start - WEEK_MS).toISOString()}&to=${to}&every=week`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ to, every: 'week', nextCursor: null });
    const points = answer.body.items as { asOf: string; position: string | null; totals: any; items: any[] }[];
    expect(points.map((p) => p.asOf)).toEqual(
      [4, 3, 2, 1, 0].map((weeks) => new Date(Date.parse(to) - weeks * WEEK_MS).toISOString()),
    );
    for (const point of points) {
      const single = await positionAsOf(point.asOf);
      expect(single.status).toBe(200);
      expect({ asOf: point.asOf, position: point.position, items: point.items, totals: point.totals }).toEqual({
        asOf: single.body.asOf,
        position: single.body.position,
        items: single.body.items,
        totals: single.body.totals,
      });
    }
    expect(points[0]).toMatchObject({ position: null, items: [] });
    const [, first, afterLeaver, afterReclaim, last] = points;
    expect(afterLeaver.totals.assigned).toBeLessThan(first.totals.assigned);
    const sales = (p: (typeof points)[number]) => p.items.find((r) => r.skuPartNumber === SKU);
    expect([first, afterLeaver, afterReclaim, last].map((p) => sales(p).purchased)).toEqual([
      sales(first).purchased,
      3,
      3,
      3,
    ]);
    expect(sales(afterReclaim).assigned).toBe(sales(afterLeaver).assigned - 1);
  });

  it('every=day over the last week: eight points, each the asOf answer', async () => {
    const to = new Date(start + 3 * WEEK_MS - DAY_MS / 2).toISOString();
    const answer = await series(`from=${new Date(start + 2 * WEEK_MS - DAY_MS).toISOString()}&to=${to}&every=day`);
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(8);
    expect(answer.body.to).toBe(to);
    for (const point of answer.body.items) {
      const single = await positionAsOf(point.asOf);
      expect(point.items).toEqual(single.body.items);
      expect(point.position).toBe(single.body.position);
    }
  });

  it('reads the history once however many points it has (one forward pass, not one replay per point)', async () => {
    const read = jest.spyOn(s.t.store, 'readAll');
    try {
      const answer = await series(
        `from=${new Date(start).toISOString()}&to=${new Date(start + 3 * WEEK_MS - DAY_MS).toISOString()}&every=day`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(21);
      const events = (await Promise.all(read.mock.results.map((r) => r.value))).reduce(
        (sum: number, batch: unknown[]) => sum + batch.length,
        0,
      );
      const head = Number(await s.t.store.headPosition());
      expect(events).toBeGreaterThan(0);
      expect(events).toBeLessThanOrEqual(head);
    } finally {
      read.mockRestore();
    }
  });

  it('refuses a bad range with a clear 400 and changes nothing', async () => {
    const head = await s.t.store.headPosition();
    const now = new Date().toISOString();
    const cases: [string, RegExp][] = [
      [`from=${now}&to=${new Date(start).toISOString()}`, /from must not be after to/],
      [`from=2000-01-01T00:00:00Z&every=day`, /at most 104 points/],
      [`from=2000-01-01T00:00:00Z`, /at most 104 points/],
      [`from=${now}&every=month`, /every/],
      [`to=${now}`, /from/],
      [`from=last-week`, /from/],
      [`from=2026-W01`, /from/],
      [`from=${new Date(start).toISOString()}&to=2026-032`, /to/],
      [`from=${now}&extra=1`, /extra/],
    ];
    for (const [query, detail] of cases) {
      const answer = await series(query);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(answer.body)).toMatch(detail);
    }
    expect(await s.t.store.headPosition()).toBe(head);
    const unknown = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/00000000-0000-4000-8000-000000000000/license-position/series?from=${now}`);
    expect(unknown.status).toBe(404);
  });

  const savings = (query: string) => s.t.as('auditor').get(`/api/v1/profiles/${id}/savings?${query}`);
  const all = async (path: string) => {
    const answer = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/${id}/${path}${path.includes('?') ? '&' : '?'}limit=1000`);
    expect(answer.body.nextCursor).toBeNull();
    return answer.body.items as any[];
  };

  it('savings realised: the licenses reclaimed since a date, times their monthly price', async () => {
    const models = await all('software-models');
    const price = models.find((m) => m.skuPartNumber === SKU).listPriceMonthly;
    const since = new Date(start + WEEK_MS).toISOString();
    const answer = await savings(`since=${since}`);
    expect(answer.status).toBe(200);
    expect(answer.body.realised).toMatchObject({
      since,
      reclaimed: 1,
      reassigned: 0,
      monthlySavings: price,
      currency: 'USD',
      bySku: [{ skuPartNumber: SKU, reclaimed: 1, listPriceMonthly: price, monthlySavings: price }],
    });
    const after = new Date(Date.parse(reclaimedSalesAt) + 1000).toISOString();
    expect((await savings(`since=${after}`)).body.realised).toMatchObject({ reclaimed: 0, monthlySavings: 0 });
    // As of a moment before the reclaim, nothing had been saved yet.
    const before = new Date(start + WEEK_MS + DAY_MS / 2).toISOString();
    expect((await savings(`asOf=${before}`)).body).toMatchObject({ asOf: before, realised: { reclaimed: 0 } });
  });

  it('savings found: proven low usage, consolidation and downgrade, as their own endpoints answer', async () => {
    const answer = (await savings('')).body;
    const lowUsage = await all('low-usage');
    const consolidation = await s.t.as('auditor').get(`/api/v1/profiles/${id}/consolidation?limit=1000`);
    const downgrade = await all('downgrade-advice');
    const sum = (items: any[], field: string) =>
      Math.round(items.reduce((total, i) => total + (i[field] ?? 0), 0) * 100) / 100;
    expect(answer.found.lowUsage).toMatchObject({
      subscriptions: lowUsage.length,
      monthlySavings: sum(lowUsage, 'monthlyCost'),
    });
    expect(answer.found.consolidation).toMatchObject({
      users: consolidation.body.items.length,
      monthlySavings: consolidation.body.totals.monthlySavings,
    });
    expect(answer.found.downgrade).toMatchObject({
      subscriptions: downgrade.length,
      monthlySavings: sum(downgrade, 'monthlySavings'),
    });
    expect(answer.found.monthlySavings).toBeCloseTo(
      answer.found.lowUsage.monthlySavings +
        answer.found.consolidation.monthlySavings +
        answer.found.downgrade.monthlySavings -
        answer.found.overlap.monthlySavings,
      2,
    );
    expect(answer.found.lowUsage.subscriptions).toBeGreaterThan(0);
  });

  it('refuses a since after asOf, or a malformed date, with a 400', async () => {
    const now = new Date().toISOString();
    for (const query of [
      `since=${now}&asOf=${new Date(start).toISOString()}`,
      'since=yesterday',
      'asOf=2026-02-30',
      'since=2026-W01',
    ]) {
      const answer = await savings(query);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
