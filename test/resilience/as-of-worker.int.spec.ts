import { randomBytes } from 'node:crypto';
import { eventCount, firstEvents, LedgerHistory } from '../../scripts/bench/ledger-history';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { CONFIG, SQLITE } from '../../src/core/tokens';
import { StoreUnavailableError } from '../../src/eventstore/errors';
import type { EventStore, StreamAppend } from '../../src/eventstore/event-store.port';
import { streamIds } from '../../src/domain/stream-names';
import { FOLD_VERSION } from '../../src/ledger/asof-fold';
import { AsOfSnapshots } from '../../src/ledger/asof-snapshots';
import { AsOfWorkerClient } from '../../src/ledger/asof-worker-client';
import { answerOf, seriesPointOf, type LedgerQuestion } from '../../src/ledger/ledger-answers';
import { PointInTime } from '../../src/ledger/point-in-time';
import { DomainError } from '../../src/shared/domain-error';
import type { SqliteDatabase } from '../../src/storage/sqlite-database';
import { countingReads } from '../support/counting-reads';
import { startOnHistory, type HistoryApp } from '../support/generated-history';
import { startTestApp, type TestApp } from '../support/test-app';

/** The generated history's tenant (scripts/bench/ledger-history.ts), drafted before its history so that answers have rows. */
const PROFILE = new LedgerHistory(1, 1).profileId;
const DRAFTED: StreamAppend = {
  streamId: streamIds.profile(PROFILE),
  expectedRevision: 'no-stream',
  events: [
    {
      id: '5f0c9a1e-2b7d-4c3e-9a8f-1d2e3f4a5b6c',
      type: 'ProfileDrafted',
      data: {
        profileId: PROFILE,
        createdAt: '2025-06-01T00:00:00.000Z',
        displayName: 'Generated history',
        cloud: 'public',
        endpoints: null,
        analyzeActivityFrom: '2025-06-01',
        downloadActivity: false,
        subscriptionConnection: {
          tenantId: '8d0f4c35-1a1e-4a55-9a8f-0c1f0e2d3b4a',
          clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
          permissionType: 'application',
          credentialRef: 'cred-1',
          consentRef: null,
        },
        activityConnection: null,
      },
      metadata: {
        actor: { kind: 'system', id: 'test' },
        correlationId: 'as-of-worker',
        causationId: null,
        schemaVersion: 1,
      },
    },
  ],
};

const QUESTIONS: readonly LedgerQuestion[] = [
  { kind: 'license-position' },
  { kind: 'subscriptions' },
  { kind: 'low-usage', options: {} },
  { kind: 'low-usage', options: { includeUnproven: true, inactivityDays: 10 } },
  { kind: 'downgrade-advice' },
  { kind: 'coverage' },
  { kind: 'consolidation' },
  { kind: 'savings', reclaimed: [], since: null },
];

/**
 * Questions about past moments are folded and answered in a worker thread (its own heap), on
 * a log of 20,000 events (a 2,000-user tenant's history): the answers are those of a fold on
 * the service's thread, whether the worker reads the SQLite file itself or the service's
 * thread relays the log to it (as on EventStoreDB); a failing fold fails its question with the
 * error the service would have had, a dead worker is replaced, and shutdown ends it.
 */
describe('as-of questions answered in the worker thread', () => {
  let history: HistoryApp;
  let t: TestApp;
  let db: SqliteDatabase;
  let moments: string[];
  const clients: AsOfWorkerClient[] = [];

  beforeAll(async () => {
    history = await startOnHistory({
      users: 2_000,
      events: 20_000,
      seed: 11,
      before: [DRAFTED],
      env: { SAM_ASOF_MAX_CONCURRENT: '2' },
    });
    ({ t, db } = history);
    moments = history.times.slice(1, -1);
  }, 120_000);
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(async () => {
    await history?.close();
  });

  const service = () => t.app.get(PointInTime);
  const direct = () => new PointInTime(t.store, db, t.app.get(CONFIG), t.runner);
  const version = async () => `${FOLD_VERSION}|${await t.store.identity()}`;
  const relayed = (store: EventStore) => {
    const client = new AsOfWorkerClient(
      store,
      new AsOfSnapshots(db),
      { events: { kind: 'relay' }, snapshots: { kind: 'relay' } },
      2,
    );
    clients.push(client);
    return client;
  };

  it('answers every question as a fold on the service thread does, at the same position', async () => {
    expect(moments.length).toBeGreaterThan(3);
    for (const moment of [moments[1]!, moments[moments.length - 2]!]) {
      const { states, position } = await direct().at(new Date(moment));
      for (const question of QUESTIONS) {
        const asked = await service().ask(new Date(moment), {}, PROFILE, question);
        expect(asked).toMatchObject({ folded: true, position, asOf: moment });
        const expected = answerOf(states, PROFILE, moment, question);
        expect(canonical(asked.folded && asked.value)).toBe(canonical(expected));
      }
    }
    expect(service().asOfWorker.running).toBe(true);
  }, 60_000);

  it('a long list comes back whole (in parts), and the same question is kept', async () => {
    const moment = new Date(moments[moments.length - 2]!);
    const asked = await service().ask(moment, {}, PROFILE, { kind: 'subscriptions' });
    const rows = asked.folded ? (asked.value as unknown[]) : [];
    expect(rows.length).toBeGreaterThan(1_000);
    const again = await service().ask(moment, {}, PROFILE, { kind: 'subscriptions' });
    expect(again.folded && again.value).toBe(rows);
  });

  it('a series from the worker is the series folded on the service thread', async () => {
    const asked = moments.slice(0, 4);
    const fromWorker = await service().series(asked, PROFILE);
    const here = await direct().each(asked, ({ states, position, asOf }) =>
      seriesPointOf(states, PROFILE, asOf, position),
    );
    expect(fromWorker).toHaveLength(asked.length);
    expect(canonical(fromWorker)).toBe(canonical(here));
  }, 60_000);

  it('relayed through the service thread (as the service does): the same answers, the log read through the store', async () => {
    const { store, read } = countingReads(t.store);
    const client = relayed(store);
    const moment = moments[2]!;
    const { states, position } = await direct().at(new Date(moment));
    for (const question of QUESTIONS.slice(0, 3)) {
      const asked = await client.ask(moment, await t.store.headPosition(), await version(), PROFILE, question);
      expect(asked.position).toBe(position);
      expect(canonical(asked.value)).toBe(canonical(answerOf(states, PROFILE, moment, question)));
    }
    expect(read.events).toBeGreaterThanOrEqual(Number(position));
  }, 60_000);

  it('reading the SQLite file through its own connection: the same answers', async () => {
    const client = new AsOfWorkerClient(
      t.store,
      new AsOfSnapshots(db),
      { events: { kind: 'sqlite-file', path: db.name }, snapshots: { kind: 'sqlite-file', path: db.name } },
      2,
    );
    clients.push(client);
    const moment = moments[4]!;
    const { states, position } = await direct().at(new Date(moment));
    for (const question of QUESTIONS.slice(0, 3)) {
      const asked = await client.ask(moment, await t.store.headPosition(), await version(), PROFILE, question);
      expect(asked.position).toBe(position);
      expect(canonical(asked.value)).toBe(canonical(answerOf(states, PROFILE, moment, question)));
    }
  }, 60_000);

  it('a fold that fails fails its question with the error the service would have had; the worker goes on', async () => {
    const { store, read } = countingReads(t.store);
    const client = relayed(store);
    const head = await t.store.headPosition();
    read.fail = new StoreUnavailableError('event store cannot be used: SQLITE_IOERR');
    const unavailable = await client
      .ask(moments[1]!, head, await version(), PROFILE, { kind: 'coverage' })
      .catch((e) => e);
    expect(unavailable).toBeInstanceOf(StoreUnavailableError);
    expect(unavailable.message).toBe('event store cannot be used: SQLITE_IOERR');

    read.fail = new TypeError('a bug in a projection');
    const bug = await client.ask(moments[1]!, head, await version(), PROFILE, { kind: 'coverage' }).catch((e) => e);
    expect(bug).toBeInstanceOf(Error);
    expect(bug).not.toBeInstanceOf(DomainError);
    expect([bug.name, bug.message]).toEqual(['TypeError', 'a bug in a projection']);

    read.fail = null;
    await expect(client.ask(moments[1]!, head, await version(), PROFILE, { kind: 'coverage' })).resolves.toMatchObject({
      position: expect.any(BigInt),
    });
    expect(client.running).toBe(true);
  }, 60_000);

  it('a worker that dies fails its questions with 503 as-of-worker-failed and Retry-After; the next question starts another', async () => {
    const client = relayed(t.store);
    const head = await t.store.headPosition();
    const asked = client.ask(moments[3]!, head, await version(), PROFILE, { kind: 'license-position' });
    await (client as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(asked).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'as-of-worker-failed',
      retryAfterSeconds: 5,
    });
    expect(client.running).toBe(false);
    await expect(
      client.ask(moments[3]!, head, await version(), PROFILE, { kind: 'license-position' }),
    ).resolves.toMatchObject({ position: expect.any(BigInt) });
    expect(client.running).toBe(true);
  }, 60_000);

  it('over HTTP: a question whose worker dies is a 503 problem with Retry-After, and the service goes on', async () => {
    const client = service().asOfWorker as unknown as {
      pending: Map<number, unknown>;
      worker: { terminate(): Promise<number> } | null;
    };
    const path = `/api/v1/profiles/${PROFILE}/license-position?asOf=${moments[5]}`;
    const answer = t
      .as('auditor')
      .get(path)
      .then((r) => r);
    for (let i = 0; i < 5_000 && client.pending.size === 0; i++) await new Promise((r) => setTimeout(r, 1));
    expect(client.pending.size).toBe(1);
    await client.worker!.terminate();
    const refused = await answer;
    expect([refused.status, refused.headers['retry-after'], refused.body.type]).toEqual([
      503,
      '5',
      'urn:license-ledger:problem:as-of-worker-failed',
    ]);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const again = await t.as('auditor').get(path);
    expect([again.status, again.body.asOf]).toEqual([200, moments[5]]);
  }, 60_000);

  it('past SAM_ASOF_MAX_CONCURRENT moments at once, a question is refused with Retry-After; one moment asked twice counts once', async () => {
    const pit = direct();
    try {
      const [a, b, c, d] = moments.slice(1, 5).map((m) => new Date(m));
      const first = pit.ask(a!, {}, PROFILE, { kind: 'license-position' });
      const sameMoment = pit.ask(a!, {}, PROFILE, { kind: 'coverage' });
      const second = pit.ask(b!, {}, PROFILE, { kind: 'license-position' });
      const third = pit.ask(c!, {}, PROFILE, { kind: 'license-position' });
      await expect(third).rejects.toMatchObject({ code: 'as-of-busy', kind: 'unavailable', retryAfterSeconds: 5 });
      await Promise.all([first, sameMoment, second]);
      await expect(pit.ask(d!, {}, PROFILE, { kind: 'license-position' })).resolves.toMatchObject({ folded: true });
    } finally {
      await pit.onModuleDestroy();
    }
  }, 60_000);

  it('shutdown terminates the worker; a question after it is refused, not hung', async () => {
    const pit = direct();
    await pit.ask(new Date(moments[1]!), {}, PROFILE, { kind: 'license-position' });
    expect(pit.asOfWorker.running).toBe(true);
    await pit.onModuleDestroy();
    expect(pit.asOfWorker.running).toBe(false);
    await expect(pit.ask(new Date(moments[2]!), {}, PROFILE, { kind: 'license-position' })).rejects.toMatchObject({
      code: 'as-of-worker-failed',
    });
  });
});

/**
 * A worker's fold of 50,000 events or more leaves a snapshot (written by the worker through its
 * own connection, or through the service's thread for an in-memory database); the next
 * question starts from it and answers the same.
 */
describe('as-of snapshots written and read by the worker', () => {
  let history: HistoryApp;
  let t: TestApp;
  let db: SqliteDatabase;
  let moments: string[];

  beforeAll(async () => {
    history = await startOnHistory({ users: 6_000, events: 60_000, seed: 5, before: [DRAFTED] });
    ({ t, db } = history);
    moments = history.times.slice(1, -1);
  }, 120_000);
  afterAll(async () => {
    await history?.close();
  });

  const eventsUpTo = (moment: string) =>
    (db.prepare('SELECT COUNT(*) AS n FROM events WHERE recorded_at <= ?').get(moment) as { n: number }).n;
  const snapshotCount = () => (db.prepare('SELECT COUNT(*) AS n FROM asof_snapshots').get() as { n: number }).n;

  it.each(['sqlite-file', 'relay'] as const)(
    'through %s: the next question starts from it and answers the same',
    async (kind) => {
      const late = moments.findIndex((m) => eventsUpTo(m) >= 50_000);
      expect(late).toBeGreaterThan(0);
      expect(late).toBeLessThan(moments.length - 1);
      db.prepare('DELETE FROM asof_snapshots').run();
      db.prepare('DELETE FROM asof_snapshot_parts').run();
      const { store, read } = countingReads(t.store);
      const client = new AsOfWorkerClient(
        store,
        new AsOfSnapshots(db),
        { events: { kind: 'relay' }, snapshots: kind === 'sqlite-file' ? { kind, path: db.name } : { kind } },
        2,
      );
      try {
        const version = `${FOLD_VERSION}|${await t.store.identity()}`;
        const head = await t.store.headPosition();
        await client.ask(moments[late]!, head, version, PROFILE, { kind: 'subscriptions' });
        expect(snapshotCount()).toBe(1);

        const before = read.events;
        const later = moments[late + 1]!;
        const asked = await client.ask(later, head, version, PROFILE, { kind: 'subscriptions' });
        expect(read.events - before).toBeLessThan(eventsUpTo(later) - 40_000);
        const { states, position } = await new PointInTime(t.store, db, t.app.get(CONFIG), t.runner).at(
          new Date(later),
        );
        expect(asked.position).toBe(position);
        expect((asked.value as unknown[]).length).toBeGreaterThan(0);
        expect(canonical(asked.value)).toBe(canonical(answerOf(states, PROFILE, later, { kind: 'subscriptions' })));
      } finally {
        await client.close();
      }
    },
    90_000,
  );
});

/** Values as text, Maps and Sets tagged (realm-proof, unlike toEqual across threads). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    const kind = Object.prototype.toString.call(v);
    if (kind === '[object Map]') return { map: [...(v as Map<unknown, unknown>)] };
    if (kind === '[object Set]') return { set: [...(v as Set<unknown>)] };
    return typeof v === 'bigint' ? v.toString() : v;
  });
}

/**
 * On EventStoreDB (the wire-level test server) the worker gets the log from the service's
 * thread, slice by slice, through the same adapter (decoding, private streams, retries), and
 * reads and writes snapshots in the local SQLite file itself: the answers are those of a fold
 * on the service's thread.
 */
describe('as-of questions on EventStoreDB, answered in the worker', () => {
  let fake: EsdbFake;
  let t: TestApp;
  let moments: string[];

  beforeAll(async () => {
    fake = await startEsdbFake();
    t = await startTestApp({
      env: {
        SAM_EVENT_STORE: 'esdb',
        EVENTSTORE_CONNECTION_STRING: fake.connectionString,
        SAM_STREAM_PREFIX: 'ledger_',
        SAM_SECRET_KEY: randomBytes(32).toString('base64'),
      },
    });
    await t.store.appendMany([DRAFTED]);
    const history = new LedgerHistory(300, 3);
    for (let written = 0; written < 4_000;) {
      const appends = firstEvents(history.next(), 4_000 - written);
      await t.store.appendMany(appends);
      written += eventCount(appends);
    }
    await t.runner.whenCaughtUp();
    const times = new Set<string>();
    for (let after: bigint | null = null; ;) {
      const events = await t.store.readAll({ after, maxCount: 1_000 });
      for (const e of events) times.add(e.recordedAt);
      if (events.length < 1_000) break;
      after = events[events.length - 1]!.position;
    }
    moments = [...times].sort().slice(1, -1);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('answers as a fold on the service thread does', async () => {
    const pit = t.app.get(PointInTime);
    expect(moments.length).toBeGreaterThan(1);
    const moment = moments[moments.length - 1]!;
    const { states, position } = await new PointInTime(t.store, t.app.get(SQLITE), t.app.get(CONFIG), t.runner).at(
      new Date(moment),
    );
    for (const question of QUESTIONS.slice(0, 3)) {
      const asked = await pit.ask(new Date(moment), {}, PROFILE, question);
      expect(asked).toMatchObject({ folded: true, position });
      expect(canonical(asked.folded && asked.value)).toBe(canonical(answerOf(states, PROFILE, moment, question)));
    }
    const rows = await pit.ask(new Date(moment), {}, PROFILE, { kind: 'subscriptions' });
    expect((rows.folded ? (rows.value as unknown[]) : []).length).toBeGreaterThan(0);
  }, 60_000);
});
