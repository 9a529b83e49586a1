// Units Graph reports as expired (warning), suspended or locked out reach the license position, its
// totals and its export as they are in the tenant, and never count as purchased (DESIGN "Purchased").
import { parseCsv } from '../support/csv';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

interface PositionRow {
  skuId: string;
  skuPartNumber: string;
  purchased: number;
  inGracePeriod: number;
  suspended: number;
  lockedOut: number;
  assigned: number;
}

describe('license position: units in the renewal grace period, suspended and locked out', () => {
  let s: SandboxApp;
  let id: string;
  let rows: PositionRow[];
  let totals: Record<string, number>;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 80, seed: 5, graceUnits: true } });
    id = await publishedProfile(s);
    expect((await runJob(s, id, 'download-subscriptions')).status).toBe('succeeded');
    const position = await s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000`);
    expect(position.status).toBe(200);
    rows = position.body.items;
    totals = position.body.totals;
  });
  afterAll(() => s.close());

  it("every model carries the tenant's warning, suspended and lockedOut units, and purchased is the enabled units only", () => {
    const subscriptions = new Map(s.sandbox.tenant.directory.subscriptions.map((x) => [x.sku.skuId.toLowerCase(), x]));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const units = subscriptions.get(row.skuId.toLowerCase())?.prepaidUnits;
      expect(units).toBeDefined();
      expect({ sku: row.skuPartNumber, ...pick(row) }).toEqual({
        sku: row.skuPartNumber,
        purchased: units!.enabled,
        inGracePeriod: units!.warning,
        suspended: units!.suspended,
        lockedOut: units!.lockedOut,
      });
    }
  });

  it("the scenario's changed SKUs show up where it put them, and the totals add them up", () => {
    const changes = s.sandbox.tenant.truth.unitChanges;
    expect(changes.length).toBeGreaterThan(0);
    // The scenario sets these fields (it does not add to them): each changed SKU shows exactly its value.
    for (const change of changes) {
      const row = rows.find((r) => r.skuPartNumber === change.skuPartNumber);
      expect(row).toMatchObject(
        Object.fromEntries(
          Object.entries(change.units).map(([field, n]) => [field === 'warning' ? 'inGracePeriod' : field, n]),
        ),
      );
    }
    const sum = (field: keyof PositionRow) => rows.reduce((n, r) => n + (r[field] as number), 0);
    expect(totals).toMatchObject({
      purchased: sum('purchased'),
      inGracePeriod: sum('inGracePeriod'),
      suspended: sum('suspended'),
      lockedOut: sum('lockedOut'),
    });
  });

  it('the CSV export has the same units per model', async () => {
    const csv = await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/license-position?format=csv`);
    expect(csv.status).toBe(200);
    const exported = parseCsv(csv.text);
    expect(exported.map((r) => [r.skuPartNumber, +r.inGracePeriod, +r.suspended, +r.lockedOut])).toEqual(
      rows.map((r) => [r.skuPartNumber, r.inGracePeriod, r.suspended, r.lockedOut]),
    );
  });
});

const pick = (row: PositionRow) => ({
  purchased: row.purchased,
  inGracePeriod: row.inGracePeriod,
  suspended: row.suspended,
  lockedOut: row.lockedOut,
});
