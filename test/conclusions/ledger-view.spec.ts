import { isoTime, ledgerViewOf, licensePosition, subscriptionRows, timeOf } from '../../src/domain/conclusions';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';

describe('isoTime', () => {
  it('agrees with Date.parse on the forms Graph and Dataverse write, and on everything else', () => {
    const samples = [
      '2026-06-30T12:34:56Z',
      '2026-06-30T12:34:56.7Z',
      '2026-06-30T12:34:56.78Z',
      '2026-06-30T12:34:56.789Z',
      '2026-06-30T12:34:56.7891234Z',
      '2026-06-30T12:34:56.999999999Z',
      '2026-02-28T23:59:59Z',
      '2026-02-29T00:00:00Z',
      '2024-02-29T00:00:00Z',
      '2026-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00Z',
      '0050-01-01T00:00:00Z',
      '2026-06-30T12:34:56+02:00',
      '2026-06-30T12:34:56.123-05:30',
      '2026-06-30',
      '2026-13-01T00:00:00Z',
      '2026-06-30T24:00:00Z',
      '2026-06-30T12:34:5xZ',
      '2026-06-30T12:34:56.Z',
      '2026-06-30T12:34:56.1234567890123Z',
      'not a time',
      '',
    ];
    for (const sample of samples) expect([sample, isoTime(sample)]).toEqual([sample, Date.parse(sample)]);
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 3_600_000 + 123) {
      const sample = new Date(ms).toISOString();
      expect([sample, isoTime(sample)]).toEqual([sample, ms]);
    }
  });
});

describe('timeOf', () => {
  it('takes a Date or an ISO string, and refuses a time that does not parse', () => {
    expect(timeOf(new Date('2026-06-30T00:00:00Z'))).toBe(Date.UTC(2026, 5, 30));
    expect(timeOf('2026-06-30T02:00:00+02:00')).toBe(Date.UTC(2026, 5, 30));
    expect(() => timeOf('yesterday')).toThrow(RangeError);
  });
});

describe('ledgerViewOf', () => {
  it('reads a profile no job has run for as an empty tenant, without adding it to the read models', () => {
    const subscriptions = subscriptionsProjection.initialState();
    const catalogs = tenantCatalogProjection.initialState();
    const view = ledgerViewOf(
      { profileId: 'p1', analyzeActivityFrom: '2026-01-01', exclusionRules: [] },
      subscriptions.get('p1'),
      catalogs.catalogs.get('p1'),
    );

    expect(subscriptionRows(view, '2026-06-30T00:00:00Z')).toEqual([]);
    expect(licensePosition(view, '2026-06-30T00:00:00Z')).toEqual([]);
    expect([subscriptions.size, catalogs.catalogs.size]).toEqual([0, 0]);
  });
});
