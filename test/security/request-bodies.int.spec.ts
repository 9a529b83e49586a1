import { request as httpRequest } from 'node:http';
import { MAX_BODY_DEPTH, MAX_BODY_VALUES, UNAUTHENTICATED_BODY_LIMIT } from '../../src/http/json-body';
import { MAX_QUERY_PARAMETERS } from '../../src/http/query-limit';
import { publicProfileBody } from '../support/bodies';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

const RID = '5b1f3c1e-9d7a-4c1e-8f0a-2b3c4d5e6f70';

/** One raw request (so a body can be any bytes and any size); resolves with what came back. */
function send(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const manyKeys = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('hostile bodies are refused cheaply, with small problem+json answers', () => {
  let t: TestApp;
  let keepPath: string;
  beforeAll(async () => {
    t = await startTestApp();
    const profile = await t.as('admin').post('/api/v1/profiles').send(publicProfileBody());
    keepPath = `/api/v1/profiles/${profile.body.id}/reclamations/${RID}/keep?token=${'x'.repeat(40)}`;
  });
  afterAll(() => t.close());

  const expectProblem = (
    answer: { status: number; contentType: string; text: string },
    status: number,
    type?: string,
  ) => {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.text.length).toBeLessThan(4_096);
    if (type) expect(JSON.parse(answer.text).type).toBe(`urn:license-ledger:problem:${type}`);
  };

  describe('the keep link (no API key)', () => {
    it.each([
      ['a megabyte', 'x'.repeat(1_048_576), 413, 'body-too-large'],
      ['80,000 keys', manyKeys(80_000), 413, 'body-too-large'],
      ['an array nested 100,000 deep', deep(100_000), 413, 'body-too-large'],
      ['just over 4 KiB', JSON.stringify({ reason: 'r'.repeat(UNAUTHENTICATED_BODY_LIMIT) }), 413, 'body-too-large'],
      ['nested past the depth limit, within 4 KiB', deep(MAX_BODY_DEPTH + 1), 400, 'body-too-deep'],
      [
        'more values than the limit, within 4 KiB',
        JSON.stringify(Array(MAX_BODY_VALUES + 1).fill(0)),
        413,
        'body-too-complex',
      ],
      ['malformed JSON', '{"reason": ', 400, 'malformed-json'],
      ['a bare string', '"keep it"', 400, 'malformed-json'],
    ])('%s: refused', async (_, body, status, type) => {
      expectProblem(await send(t.url, keepPath, body), status, type);
    });

    it('a body that fits: judged on its content (here the token), so a real notice link still works', async () => {
      const answer = await send(t.url, keepPath, JSON.stringify({ reason: 'I use it every week' }));
      expect(answer.status).toBe(404); // the reclamation does not exist; the body was fine
    });

    it('unknown fields in a small body: a 400 naming a few of them, not all', async () => {
      const answer = await send(t.url, keepPath, manyKeys(200));
      expectProblem(answer, 400, 'invalid-request');
      expect(JSON.parse(answer.text).errors.length).toBeLessThanOrEqual(21);
    });

    it(`more than ${MAX_QUERY_PARAMETERS} query parameters: refused before validation`, async () => {
      const query = Array.from({ length: 1_000 }, (_, i) => `q${i}=1`).join('&');
      expectProblem(await send(t.url, `${keepPath}&${query}`, '{}'), 413, 'too-many-parameters');
    });
  });

  // The console's sign-in routes need no key either: the same limit, the same iterative checks.
  describe.each([
    ['POST /sessions (a sign-in link)', '/api/v1/sessions', { signInLink: 'l'.repeat(40) }],
    [
      'POST /sessions/microsoft/code',
      '/api/v1/sessions/microsoft/code',
      { code: 'c'.repeat(40), state: 's'.repeat(40) },
    ],
  ])('%s (no API key)', (_, path, fitting) => {
    it.each([
      ['a megabyte', 'x'.repeat(1_048_576), 413, 'body-too-large'],
      ['80,000 keys', manyKeys(80_000), 413, 'body-too-large'],
      ['an array nested 100,000 deep', deep(100_000), 413, 'body-too-large'],
      [
        'just over 4 KiB',
        JSON.stringify({ ...fitting, pad: 'p'.repeat(UNAUTHENTICATED_BODY_LIMIT) }),
        413,
        'body-too-large',
      ],
      ['nested past the depth limit, within 4 KiB', deep(MAX_BODY_DEPTH + 1), 400, 'body-too-deep'],
      [
        'more values than the limit, within 4 KiB',
        JSON.stringify(Array(MAX_BODY_VALUES + 1).fill(0)),
        413,
        'body-too-complex',
      ],
      ['malformed JSON', '{"code": ', 400, 'malformed-json'],
      ['unknown fields', manyKeys(200), 400, 'invalid-request'],
    ])('%s: refused', async (_, body, status, type) => {
      expectProblem(await send(t.url, path, body), status, type);
    });

    it('a body that fits is judged on its content: an unknown link or code is refused, not a body error', async () => {
      const answer = await send(t.url, path, JSON.stringify(fitting));
      expect([401, 409]).toContain(answer.status); // unknown link: 401; Microsoft sign-in not configured: 409
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    });
  });

  describe('a route that needs a key', () => {
    it('without a key, any body: 401, the body unread', async () => {
      for (const body of ['x'.repeat(1_048_576), manyKeys(80_000), deep(100_000), '{"a":'])
        expectProblem(await send(t.url, '/api/v1/profiles', body), 401, 'unauthenticated');
    });

    it('with a key: the same shapes are refused for their shape, up to the configured size', async () => {
      const admin = { Authorization: `Bearer ${KEYS.admin}` };
      expectProblem(await send(t.url, '/api/v1/profiles', manyKeys(60_000), admin), 413, 'body-too-complex'); // ~0.9 MB
      expectProblem(await send(t.url, '/api/v1/profiles', deep(100_000), admin), 400, 'body-too-deep');
      expectProblem(await send(t.url, '/api/v1/profiles', 'x'.repeat(2 * 1_048_576), admin), 413, 'body-too-large');
      const unknown = await send(t.url, '/api/v1/profiles', manyKeys(MAX_BODY_VALUES - 2), admin);
      expectProblem(unknown, 400, 'invalid-request');
      expect(JSON.parse(unknown.text).errors.length).toBeLessThanOrEqual(21);
    });

    it('the service answers normally afterwards, and nothing was appended by any of it', async () => {
      const head = await t.store.headPosition();
      await send(t.url, '/api/v1/profiles', manyKeys(80_000), { Authorization: `Bearer ${KEYS.admin}` });
      await send(t.url, keepPath, deep(100_000));
      expect(await t.store.headPosition()).toBe(head);
      expect((await t.as('auditor').get('/api/v1/profiles')).status).toBe(200);
    });
  });
});
