import { qualifyingActivitySince } from '../../src/domain/conclusions';

const last = {
  sales: '2026-05-10T00:00:00.000Z',
  customerService: '2026-05-20T00:00:00.000Z',
  general: null,
  common: '2026-05-25T00:00:00.000Z',
  access: '2026-05-30T00:00:00.000Z',
  other: null,
  beyondTeamMembers: '2026-05-25T00:00:00.000Z',
};

describe('qualifyingActivitySince: what cancels a candidate whose user came back', () => {
  it('counts only the apps the license needs, and only after the moment given', () => {
    expect(qualifyingActivitySince('sales', last, '2026-05-01T00:00:00.000Z', 'app')).toBe(last.sales);
    expect(qualifyingActivitySince('sales', last, '2026-05-15T00:00:00.000Z', 'app')).toBeNull();
    // The default basis counts the tables Sales and Customer Service share; sign-ins only with `any`.
    expect(qualifyingActivitySince('sales', last, '2026-05-15T00:00:00.000Z')).toBe(last.common);
    expect(qualifyingActivitySince('sales', last, '2026-05-26T00:00:00.000Z')).toBeNull();
    expect(qualifyingActivitySince('sales', last, '2026-05-26T00:00:00.000Z', 'any')).toBe(last.access);
    expect(qualifyingActivitySince('salesOrCustomerService', last, '2026-05-01T00:00:00.000Z', 'app')).toBe(
      last.customerService,
    );
    expect(qualifyingActivitySince('any', last, '2026-05-01T00:00:00.000Z', 'app')).toBe(last.access);
  });

  it('a license without activity tracking is never brought back by activity', () =>
    expect(qualifyingActivitySince(null, last, '2026-01-01T00:00:00.000Z')).toBeNull());
});
