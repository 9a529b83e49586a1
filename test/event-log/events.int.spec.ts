import { EventSource } from 'eventsource';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicProfileBody } from '../support/bodies';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

const until = async (check: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the public event log over HTTP', () => {
  describe('GET /events', () => {
    let t: TestApp;
    /** The service's own start (its instance lease, InstanceLeaseTaken): the profiles follow it. */
    let started: string;
    beforeAll(async () => {
      t = await startTestApp();
      started = String(await t.store.headPosition());
      for (let i = 0; i < 3; i++) {
        const created = await t
          .as('admin')
          .post('/api/v1/profiles')
          .send(publicProfileBody({ displayName: `P${i}` }));
        await t
          .as('admin')
          .patch(`/api/v1/profiles/${created.body.id}`)
          .send({ displayName: `P${i} renamed` });
      }
    });
    afterAll(() => t.close());

    it('pages the global log oldest first with the envelope, and filters by type', async () => {
      const first = await t.as('consumer').get(`/api/v1/events?limit=4&from=${started}`);
      expect(first.status).toBe(200);
      expect(first.body.items.map((e: { type: string }) => e.type)).toEqual([
        'ProfileDrafted',
        'ProfileUpdated',
        'ProfileDrafted',
        'ProfileUpdated',
      ]);
      const e = first.body.items[0];
      expect(e).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        position: expect.stringMatching(/^\d+$/),
        streamId: expect.stringMatching(/^profile-[0-9a-f-]{36}$/),
        type: 'ProfileDrafted',
        recordedAt: expect.any(String),
        data: expect.objectContaining({ displayName: 'P0' }),
        metadata: expect.objectContaining({
          actor: { kind: 'api-key', id: expect.stringMatching(/^admin-/), role: 'admin' },
          schemaVersion: 1,
          correlationId: expect.any(String),
          causationId: null,
        }),
      });
      expect(first.body.nextCursor).toBe(first.body.items[3].position);
      const rest = await t.as('consumer').get(`/api/v1/events?cursor=${first.body.nextCursor}`);
      expect(rest.body.items.map((x: { type: string }) => x.type)).toEqual(['ProfileDrafted', 'ProfileUpdated']);
      expect(rest.body.nextCursor).toBeNull();
      const drafted = await t.as('auditor').get('/api/v1/events?type=ProfileDrafted');
      expect(drafted.body.items).toHaveLength(3);
      const after = await t
        .as('auditor')
        .get(`/api/v1/events?from=${first.body.items[4 - 1].position}&type=ProfileUpdated,ProfileDrafted`);
      expect(after.body.items).toHaveLength(2);
    });

    it('never shows a secret', async () => {
      const all = await t.as('admin').get('/api/v1/events?limit=1000');
      expect(JSON.stringify(all.body)).not.toMatch(/app-secret/);
    });

    it('refuses bad query parameters with a 400 problem', async () => {
      for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'from=-1', 'from=abc', 'type=Bad Type', 'unknown=1']) {
        const res = await t.as('consumer').get(`/api/v1/events?${q}`);
        expect([q, res.status]).toEqual([q, 400]);
      }
    });

    it('publishes a JSON Schema per event type', async () => {
      const res = await t.as('consumer').get('/api/v1/events/schemas');
      expect(res.body.ProfileDrafted).toMatchObject({
        title: 'ProfileDrafted',
        'x-stream-category': 'profile',
        'x-schema-version': 1,
      });
    });
  });

  describe('GET /events/stream (Server-Sent Events)', () => {
    it('resumes with the stock eventsource client after the service restarts, without gap or duplicate', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'll-sse-'));
      let t = await startTestApp({ dir, sseHeartbeatMs: 200 });
      const port = Number(new URL(t.url).port);
      for (let i = 0; i < 3; i++)
        await t
          .as('admin')
          .post('/api/v1/profiles')
          .send(publicProfileBody({ displayName: `S${i}` }));

      const received: { id: string; type: string; displayName: string }[] = [];
      const lastEventIds: (string | null)[] = [];
      const source = new EventSource(`${t.url}/api/v1/events/stream`, {
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${KEYS.consumer}`);
          lastEventIds.push(headers.get('last-event-id'));
          return fetch(input, { ...init, headers });
        },
      });
      source.addEventListener('ProfileDrafted', (event) => {
        received.push({
          id: event.lastEventId,
          type: event.type,
          displayName: JSON.parse(event.data).data.displayName,
        });
      });
      try {
        await until(() => received.length === 3);
        await t.close({ keepFiles: true });
        t = await startTestApp({ dir, port });
        for (let i = 3; i < 5; i++)
          await t
            .as('admin')
            .post('/api/v1/profiles')
            .send(publicProfileBody({ displayName: `S${i}` }));
        await until(() => received.length >= 5);
        await new Promise((r) => setTimeout(r, 300));
        expect(received.map((r) => r.displayName)).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
        expect(new Set(received.map((r) => r.id)).size).toBe(5);
        expect(lastEventIds[0]).toBeNull();
        expect(lastEventIds.slice(1)).toContain(received[2].id);
      } finally {
        source.close();
        await t.close({ keepFiles: true });
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('starts after ?from=, sends heartbeats, and ends the stream cleanly on shutdown', async () => {
      const t = await startTestApp({ sseHeartbeatMs: 50 });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        await t
          .as('admin')
          .post('/api/v1/profiles')
          .send(publicProfileBody({ displayName: `F${i}` }));
      const all = await t.as('consumer').get('/api/v1/events?type=ProfileDrafted');
      const from = all.body.items[0].position;
      let text = '';
      let ended = false;
      const req = http.get(
        `${t.url}/api/v1/events/stream?from=${from}`,
        { headers: { Authorization: `Bearer ${KEYS.consumer}` } },
        (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            for (const m of chunk.matchAll(/^id: (\d+)$/gm)) ids.push(m[1]);
          });
          res.on('end', () => (ended = true));
        },
      );
      await until(() => ids.length === 2 && text.includes(': heartbeat'));
      expect(ids).toEqual([all.body.items[1].position, all.body.items[2].position]);
      await t.close();
      await until(() => ended);
      req.destroy();
    });

    it('refuses a Last-Event-ID that is not a position', async () => {
      const t = await startTestApp();
      const res = await t.as('consumer').get('/api/v1/events/stream').set('Last-Event-ID', 'yesterday');
      expect(res.status).toBe(400);
      await t.close();
    });
  });
});
