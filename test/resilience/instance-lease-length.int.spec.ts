import type { Clock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A lease lasts exactly SAM_INSTANCE_LEASE_SECONDS from the moment it records: both come from one
 * reading of the clock. With two readings, a millisecond that ticked between them made a lease
 * 1 ms longer than configured (seen once in the renewal test of instance-lease.int.spec.ts).
 */
describe('an instance lease', () => {
  let t: TestApp;
  // Every reading is a millisecond after the one before, as if the clock ticked between any two.
  let readings = 0;
  const ticking: Clock = { now: () => new Date(Date.UTC(2026, 11, 6, 8, 0, 0) + readings++) };

  beforeAll(async () => {
    t = await startTestApp({ clock: ticking, env: { SAM_INSTANCE_ID: 'ticking', SAM_INSTANCE_LEASE_SECONDS: '15' } });
  });
  afterAll(() => t.close());

  it('expires exactly the configured length after the moment it was taken, however the clock moves', async () => {
    const events = await t.store.readStream('instance-ticking');
    const taken = events.find((e) => e.type === 'InstanceLeaseTaken');
    expect(taken).toBeDefined();
    const data = taken!.data as { takenAt: string; expiresAt: string };
    expect(readings).toBeGreaterThan(1);
    expect(Date.parse(data.expiresAt) - Date.parse(data.takenAt)).toBe(15_000);
  });
});
