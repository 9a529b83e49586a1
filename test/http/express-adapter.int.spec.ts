import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The service's HTTP server builds requests and responses with Express's prototypes in place
 * (src/http/express-adapter.ts), so Express's per-request Object.setPrototypeOf changes nothing.
 */
describe('the HTTP server builds requests and responses as Express objects', () => {
  let t: TestApp;
  const seen: { request: boolean; response: boolean; url: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const express = t.app.getHttpAdapter().getInstance() as { request: object; response: object };
    (t.app.getHttpServer() as Server).prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      seen.push({
        request: Object.getPrototypeOf(req) === express.request,
        response: Object.getPrototypeOf(res) === express.response,
        url: req.url ?? '',
      });
    });
  });
  afterAll(() => t.close());
  beforeEach(() => (seen.length = 0));

  it('before Express sees them, for public and authenticated routes alike', async () => {
    await t.anonymous().get('/health/live').expect(200);
    await t.as('auditor').get('/api/v1/profiles?limit=1').expect(200);
    expect(seen).toEqual([
      { request: true, response: true, url: '/health/live' },
      { request: true, response: true, url: '/api/v1/profiles?limit=1' },
    ]);
  });

  it('keeps what Express adds to them: the parsed query, JSON answers, problems and headers', async () => {
    const unknown = await t.as('auditor').get(`/api/v1/profiles/${randomUUID()}/low-usage?limit=5`).expect(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    const invalid = await t.as('auditor').get('/api/v1/profiles?limit=0').expect(400);
    expect(invalid.body).toMatchObject({ status: 400 });
    const listed = await t.as('auditor').get('/api/v1/profiles?limit=1').expect(200);
    expect(listed.headers['x-request-id']).toBeTruthy();
    expect(listed.body).toHaveProperty('items');
  });
});
