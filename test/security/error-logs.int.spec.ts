import type { EventStore } from '../../src/eventstore/event-store.port';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * An unexpected error inside a request (here the store failing in a way it has no name for,
 * with a cause chain whose messages carry secrets): the client gets a bare 500 problem with
 * the request id, no stack and no secret; the log gets the error at error level with its
 * stack and its whole cause chain, secrets redacted (API.md, Operations).
 */
describe('an unexpected error in a request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('is a 500 problem for the client, and a redacted error with stack and cause chain in the log', async () => {
    const store = t.store as EventStore & { readAll: EventStore['readAll'] };
    const readAll = store.readAll.bind(store);
    // Only the request below asks for 8 events (limit 7, plus one to see whether there is more).
    store.readAll = async (options) => {
      if (options?.maxCount !== 8) return readAll(options);
      const socket = new Error('connect ECONNREFUSED for esdb://admin:changeit@10.0.0.9:2113?tls=false');
      const driver = new Error('read failed with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', {
        cause: socket,
      });
      throw new Error('the log could not be read', { cause: driver });
    };
    try {
      const answer = await t.as('consumer').get('/api/v1/events?limit=7');
      expect(answer.status).toBe(500);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body).toEqual({
        type: 'urn:license-ledger:problem:internal',
        title: expect.any(String),
        status: 500,
        detail: expect.any(String),
        requestId: expect.any(String),
      });
      expect(answer.text).not.toMatch(/changeit|eyJ|ECONNREFUSED|at .*\.ts/);

      const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === answer.body.requestId && l.error);
      expect(line).toMatchObject({ level: 'error', path: '/api/v1/events' });
      expect(line.error.stack).toMatch(/^Error: the log could not be read\n\s+at /);
      expect(line.error.cause.message).toBe('read failed with Bearer [redacted]');
      expect(line.error.cause.stack).toMatch(/\n\s+at /);
      expect(line.error.cause.cause.message).toMatch(
        /^connect ECONNREFUSED for esdb:\/\/\[redacted\]@10\.0\.0\.9:2113/,
      );
      const everything = t.logs.join('\n');
      expect(everything).not.toContain('changeit');
      expect(everything).not.toContain('eyJzdWIiOiJ4In0');
    } finally {
      store.readAll = readAll;
    }
  });
});
