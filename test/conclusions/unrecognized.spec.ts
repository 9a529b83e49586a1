import { licensePosition, unrecognizedIdentifiers } from '../../src/domain/conclusions';
import { given, identifierUnrecognized, licenseAssigned, modelsFor, NOW } from './given';

const NEW_THING = { skuId: '0a0b0c0d-1111-2222-3333-444455556666', skuPartNumber: 'DYN365_NEW_THING' };
const OTHER_THING = { skuId: 'ffffffff-1111-2222-3333-444455556666', skuPartNumber: 'DYN365_ANOTHER_THING' };

describe('unrecognized identifiers', () => {
  it('lists each with how many users hold it, and keeps them out of the license position', () => {
    const view = given([
      ...modelsFor('DYN365_ENTERPRISE_SALES'),
      identifierUnrecognized(NEW_THING.skuId, NEW_THING.skuPartNumber, '2026-02-01T00:00:00.000Z'),
      identifierUnrecognized(OTHER_THING.skuId, OTHER_THING.skuPartNumber, '2026-03-01T00:00:00.000Z'),
      licenseAssigned('a', NEW_THING.skuPartNumber, { skuId: NEW_THING.skuId }),
      licenseAssigned('b', NEW_THING.skuPartNumber, { skuId: NEW_THING.skuId.toUpperCase() }),
      licenseAssigned('b', 'DYN365_ENTERPRISE_SALES'),
    ]);

    expect(unrecognizedIdentifiers(view)).toEqual([
      { ...OTHER_THING, assignedCount: 0, firstSeenAt: '2026-03-01T00:00:00.000Z' },
      { ...NEW_THING, assignedCount: 2, firstSeenAt: '2026-02-01T00:00:00.000Z' },
    ]);
    expect(licensePosition(view, NOW).map((r) => r.skuPartNumber)).toEqual(['DYN365_ENTERPRISE_SALES']);
  });
});
