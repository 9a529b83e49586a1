import { CONFIG } from '../../src/core/tokens';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { PointInTime } from '../../src/ledger/point-in-time';
import type { SqliteDatabase } from '../../src/storage/sqlite-database';
import { publicProfileBody } from '../support/bodies';
import { countingReads } from '../support/counting-reads';
import { startOnHistory, type HistoryApp } from '../support/generated-history';
import type { TestApp } from '../support/test-app';

/**
 * Questions about past moments on a log of 60,000 events (a 6,000-user tenant's history as
 * the jobs write it, one recording time per job): folded in slices that let the event loop
 * turn, shared and kept, bounded in number (SAM_ASOF_MAX_CONCURRENT=1 here), and started from
 * a snapshot written in steps when one is near.
 */
describe('as-of questions on a long log', () => {
  let history: HistoryApp;
  let t: TestApp;
  let db: SqliteDatabase;
  /** Recording times of the generated jobs, oldest first; the last is left out (it would be answered live). */
  let moments: string[];

  beforeAll(async () => {
    history = await startOnHistory({ users: 6_000, events: 60_000, seed: 5, env: { SAM_ASOF_MAX_CONCURRENT: '1' } });
    ({ t, db } = history);
    moments = history.times.slice(0, -1);
  }, 120_000);
  afterAll(async () => {
    await history?.close();
  });

  const fresh = (store: EventStore = t.store) => new PointInTime(store, db, t.app.get(CONFIG), t.runner);
  const eventsUpTo = (moment: string) =>
    (db.prepare('SELECT COUNT(*) AS n FROM events WHERE recorded_at <= ?').get(moment) as { n: number }).n;

  it('a fold lets the event loop turn while it runs', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    const answered = await fresh()
      .at(new Date(moments[1]!))
      .then(() => turned);
    expect(answered).toBe(true);
  });

  it('the same question twice shares one fold, and is kept for the next time', async () => {
    const { store, read } = countingReads(t.store);
    const pit = fresh(store);
    const moment = new Date(moments[2]!);
    const [a, b] = await Promise.all([pit.at(moment), pit.at(moment)]);
    expect(a).toBe(b);
    const once = read.events;
    expect(once).toBeGreaterThan(0);
    expect(await pit.at(moment)).toBe(a);
    expect(read.events).toBe(once);
  });

  it('past SAM_ASOF_MAX_CONCURRENT different folds, a question is refused with Retry-After rather than queued', async () => {
    const pit = fresh();
    const first = pit.at(new Date(moments[3]!));
    const second = pit.at(new Date(moments[4]!));
    await expect(second).rejects.toMatchObject({ code: 'as-of-busy', kind: 'unavailable', retryAfterSeconds: 5 });
    await first;
    // Once the first is done, the second may start.
    await expect(pit.at(new Date(moments[4]!))).resolves.toMatchObject({ asOf: moments[4] });
  });

  it('over HTTP: every answer is 200 or 503 problem+json with Retry-After, never a pile-up or a 500', async () => {
    const profile = await t.as('admin').post('/api/v1/profiles').send(publicProfileBody());
    const asked = moments.slice(5, 11);
    const answers = await Promise.all(
      asked.map((m) => t.as('auditor').get(`/api/v1/profiles/${profile.body.id}/license-position?asOf=${m}`)),
    );
    for (const answer of answers) {
      if (answer.status === 200) continue;
      expect([answer.status, answer.headers['retry-after'], answer.body.type]).toEqual([
        503,
        '5',
        'urn:license-ledger:problem:as-of-busy',
      ]);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
  });

  it('a fold of 50,000 events or more leaves a snapshot; the next question starts from it and answers the same', async () => {
    const late = moments.findIndex((m) => eventsUpTo(m) >= 50_000);
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThan(moments.length - 1);
    db.prepare('DELETE FROM asof_snapshots').run();
    await fresh().at(new Date(moments[late]!));
    expect((db.prepare('SELECT COUNT(*) AS n FROM asof_snapshots').get() as { n: number }).n).toBe(1);

    const later = new Date(moments[late + 1]!);
    const fromSnapshot = countingReads(t.store);
    const answered = await fresh(fromSnapshot.store).at(later);
    db.prepare('DELETE FROM asof_snapshots').run();
    const fromZero = countingReads(t.store);
    const again = await fresh(fromZero.store).at(later);

    expect(fromSnapshot.read.events).toBeLessThan(fromZero.read.events - 40_000);
    expect(answered.position).toBe(again.position);
    expect(canonical(answered.states)).toBe(canonical(again.states));
  }, 60_000);
});

/** The states as text, Maps and Sets tagged (realm-proof, unlike toEqual on deserialised Maps). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    const kind = Object.prototype.toString.call(v);
    if (kind === '[object Map]') return { map: [...(v as Map<unknown, unknown>)] };
    if (kind === '[object Set]') return { set: [...(v as Set<unknown>)] };
    return typeof v === 'bigint' ? v.toString() : v;
  });
}
