import { deserializeInSteps, serializeInSteps } from '../../src/storage/chunked-serialization';

/** Writes the parts into an array and reads them back from it, as PointInTime does with SQLite rows. */
async function roundTrip(value: unknown): Promise<unknown> {
  const parts: Buffer[] = [];
  const count = await serializeInSteps(value, (part) => parts.push(part));
  expect(count).toBe(parts.length);
  return deserializeInSteps((i) => parts[i]!);
}

/** A state shaped like the read models: a tenant per profile, each with a large Map of users. */
function tenantStates(users: number) {
  const sku = { skuId: 'a', skuPartNumber: 'DYN365_ENTERPRISE_SALES' };
  const usersById = new Map(
    Array.from({ length: users }, (_, i) => [
      `user-${i}`,
      {
        userId: `user-${i}`,
        licenses: new Map([[sku.skuId, { ...sku, groupIds: [`g${i % 7}`] }]]),
        seen: new Set([i, i + 1]),
        lastActivity: { sales: i % 3 === 0 ? null : '2026-01-01T00:00:00.000Z' },
      },
    ]),
  );
  return [
    new Map([['p1', { profileId: 'p1', status: 'published' }]]),
    new Map([['p1', { users: usersById, revisions: new Map([...usersById.keys()].map((k, i) => [k, i])) }]]),
    { catalogs: new Map(), rules: [1, 2, 3], nothing: null },
    { plain: true, nested: [{ deeper: new Map([['k', [1, { x: 'y' }]]]) }] },
  ];
}

/**
 * The states as text, Maps and Sets tagged. (Not toEqual or util.isDeepStrictEqual: jest runs
 * tests in their own realm, and deserialised objects carry the process's Map and Object.)
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    const kind = Object.prototype.toString.call(v);
    if (kind === '[object Map]') return { map: [...(v as Map<unknown, unknown>)] };
    if (kind === '[object Set]') return { set: [...(v as Set<unknown>)] };
    return v;
  });
}

describe('as-of snapshots, written and read in steps', () => {
  it('come back equal, large Maps inside Maps and objects included', async () => {
    for (const users of [0, 10, 1_000, 1_001, 4_321]) {
      const states = tenantStates(users);
      expect(canonical(await roundTrip(states))).toBe(canonical(states));
    }
  });

  it('let the event loop turn between chunks, both ways', async () => {
    const states = tenantStates(10_000);
    let turns = 0;
    const count = () => {
      turns += 1;
      if (!done) setImmediate(count);
    };
    let done = false;
    setImmediate(count);
    const parts: Buffer[] = [];
    await serializeInSteps(states, (part) => parts.push(part));
    const afterWriting = turns;
    await deserializeInSteps((i) => parts[i]!);
    done = true;
    // Two large Maps of 10,000 entries: ten chunks each way, a turn after each.
    expect(afterWriting).toBeGreaterThanOrEqual(10);
    expect(turns - afterWriting).toBeGreaterThanOrEqual(10);
  });

  it('leave the states they were given untouched', async () => {
    const states = tenantStates(2_500);
    const before = structuredClone(states);
    await serializeInSteps(states, () => undefined);
    expect(canonical(states)).toBe(canonical(before));
  });
});
