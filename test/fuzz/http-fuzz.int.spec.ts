import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS } from '../support/test-app';
import { killAllServices, startService, type ServiceProcess } from '../resilience/support/service-process';
import { Random } from './support/random';
import {
  describe as describeRequest,
  generate,
  operationsOf,
  type Context,
  type FuzzRequest,
  type Operation,
} from './support/requests';

/** Requests per operation of the OpenAPI document (~40 operations today: a few thousand in all). */
const PER_OPERATION = 80;
const PARALLEL = 8;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Generated bad requests to every operation the service's own OpenAPI document lists (so
 * operations added later are fuzzed too), with admin, auditor, consumer, odd and no keys:
 * random fields, types, sizes, deep nesting, encodings and content types, malformed JSON,
 * huge numbers, unicode, odd and badly percent-encoded path segments and query strings.
 * No answer may be a 5xx, every error must be application/problem+json, the process must
 * survive, and since every command is made invalid on purpose, nothing may be appended.
 * Reproduce a failure with FUZZ_SEED=<seed> npx jest test/fuzz.
 */
describe('HTTP fuzzing of every endpoint', () => {
  let dir: string;
  let service: ServiceProcess;
  let context: Context;
  let operations: Operation[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-fuzz-'));
    service = await startService({
      sqlitePath: join(dir, 'sam.sqlite'),
      instanceId: 'fuzz',
      env: {
        // Thousands of wrong keys from one address are the point here; the throttle has its own test.
        SAM_AUTH_FAILURE_LIMIT: '1000000',
        // No lease renewal (an event) during the run: "nothing appended" compares the head.
        SAM_INSTANCE_LEASE_SECONDS: '3600',
      },
    });
    const profile = await service
      .as('admin')
      .post('/api/v1/profiles')
      .send({
        displayName: 'Fuzzed',
        cloud: 'public',
        analyzeActivityFrom: '2026-01-01',
        downloadActivity: true,
        subscriptionConnection: {
          tenantId: '6f1c2b9d-8a8e-4f5b-8a55-3a6f1c2b9d10',
          clientId: '0b9c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
          clientSecret: 'not-a-real-secret',
        },
        activityConnection: {
          environmentUrl: 'https://contoso.crm.dynamics.com',
          permissionType: 'application',
          clientId: '0b9c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
          clientSecret: 'not-a-real-secret',
        },
      });
    expect(profile.status).toBe(201);
    const rule = await service
      .as('admin')
      .post(`/api/v1/profiles/${profile.body.id}/exclusion-rules`)
      .send({ type: 'user', value: 'svc@contoso.test' });
    expect(rule.status).toBe(201);
    const doc = await service.as('auditor').get('/docs-json');
    expect(doc.status).toBe(200);
    operations = operationsOf(doc.body);
    context = {
      keys: KEYS,
      known: {
        id: profile.body.id,
        ruleId: rule.body.id,
        job: 'download-subscriptions',
        name: 'profiles',
        connection: 'subscription',
        skuPartNumber: 'DYN365_ENTERPRISE_SALES',
        dataset: 'subscriptions',
      },
    };
  }, 60_000);
  afterAll(async () => {
    await killAllServices();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every generated bad request below 500, with problem+json errors, without crashing or appending anything', async () => {
    // The document lists what the service serves; the fuzzing below covers exactly that.
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/profiles', 'PATCH /api/v1/profiles/{id}', 'GET /api/v1/events']),
    );

    const head = await headPosition(service);
    const rng = new Random(SEED);
    const requests: FuzzRequest[] = [];
    for (let round = 0; round < PER_OPERATION; round++)
      for (const op of operations) requests.push(generate(op, rng, context));

    const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length && failures.length < 20) {
        const request = requests[next++]!;
        let answer: Answer;
        try {
          answer = await send(service.url, request, agent);
        } catch (error) {
          failures.push(`${describeRequest(request)}\n  no answer: ${(error as Error).message}`);
          continue;
        }
        const problem = judge(request, answer);
        if (problem)
          failures.push(
            `${describeRequest(request)}\n  answer: ${answer.status} ${answer.contentType} ${answer.body.slice(0, 300)}\n  wrong: ${problem}`,
          );
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    agent.destroy();

    const errors = () =>
      service
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":"error"'))
        .slice(-10)
        .join('\n');
    const report = (list: string[]) =>
      `FUZZ_SEED=${SEED} (rerun: FUZZ_SEED=${SEED} npx jest test/fuzz), ${requests.length} requests\n\n${list.join('\n\n')}\n\nservice errors:\n${errors()}`;
    expect(failures.length === 0 ? 'no failures' : report(failures)).toBe('no failures');
    expect(service.exit()).toBeNull();
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    expect({ seed: SEED, head: await headPosition(service) }).toEqual({ seed: SEED, head });
  }, 240_000);

  // Cases the fuzzer found, pinned so they stay fixed whatever the seed.
  it.each([
    [
      'a body nested 20,000 levels deep (the validation pipe overflowed the stack)',
      'POST',
      '/api/v1/profiles',
      { 'content-type': 'application/json' },
      `{"displayName":"x","deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
      'body-too-deep',
    ],
    [
      'a raw non-ASCII byte in the path (Node answered a bare 400)',
      'GET',
      '/api/v1/profiles/\u00e9',
      {},
      null,
      'malformed-request',
    ],
    [
      'a DEL byte in the query (Node answered a bare 400)',
      'GET',
      '/api/v1/events?from=\u007f',
      {},
      null,
      'malformed-request',
    ],
  ])('%s: 400 problem+json', async (_, method, path, headers, body, code) => {
    const request = {
      method,
      path,
      headers: { authorization: `Bearer ${KEYS.admin}`, ...headers },
      body: body === null ? null : Buffer.from(body),
      refusedBecause: 'pinned',
    };
    const answer = await send(service.url, request, new Agent());
    expect({ status: answer.status, contentType: answer.contentType, type: JSON.parse(answer.body).type }).toEqual({
      status: 400,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: `urn:license-ledger:problem:${code}`,
    });
    expect(service.exit()).toBeNull();
  });

  // Routes that need no API key (the keep link, the console's sign-in): whatever an anonymous
  // caller sends is refused cheaply (API.md: 413 or 400), with a small problem+json answer.
  const unauthenticated = () => [
    [
      'keep',
      `/api/v1/profiles/${context.known.id}/reclamations/6c5e2c43-9a3a-4f0e-9d1e-0d6c4b3a2f1e/keep?token=${'t'.repeat(40)}`,
    ],
    ['sign-in link', '/api/v1/sessions'],
    ['Microsoft sign-in code', '/api/v1/sessions/microsoft/code'],
  ];
  it.each([
    ['a 2 MB body', `{"reason":"${'x'.repeat(2_000_000)}"}`, 413],
    ['80,000 keys', `{${Array.from({ length: 80_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`, 413],
    ['an array nested 100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000), 413],
    ['nested 1,000 deep within 4 KiB', '['.repeat(1_000) + ']'.repeat(1_000), 400],
    ['malformed', '{"reason":', 400],
  ])('unauthenticated routes with %s: refused with problem+json, the service unharmed', async (_, body, status) => {
    for (const [route, path] of unauthenticated()) {
      const request = {
        method: 'POST',
        path: path!,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(body),
        refusedBecause: 'pinned',
      };
      const answer = await send(service.url, request, new Agent());
      expect({
        route,
        status: answer.status,
        contentType: answer.contentType,
        size: answer.body.length < 4_096,
      }).toEqual({
        route,
        status,
        contentType: expect.stringMatching(/^application\/problem\+json/),
        size: true,
      });
    }
    expect(service.exit()).toBeNull();
  });
});

/** What is wrong with the answer, or null. */
function judge(request: FuzzRequest, answer: Answer): string | null {
  if (answer.status >= 500) return 'a 5xx';
  if (request.refusedBecause && answer.status < 400)
    return `a command that must be refused (${request.refusedBecause}) was accepted`;
  if (answer.status >= 400) {
    if (!answer.contentType.startsWith('application/problem+json'))
      return 'an error that is not application/problem+json';
    let body: { type?: unknown; title?: unknown; status?: unknown; detail?: unknown };
    try {
      body = JSON.parse(answer.body);
    } catch {
      return 'a problem+json body that is not JSON';
    }
    if (
      typeof body.type !== 'string' ||
      typeof body.title !== 'string' ||
      body.status !== answer.status ||
      typeof body.detail !== 'string'
    )
      return 'a problem without type, title, status or detail';
  }
  return null;
}

function send(base: string, request: FuzzRequest, agent: Agent): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        agent,
        headers: { ...request.headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) },
      },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        // An event stream stays open by design: its answer is the status line.
        if (contentType.startsWith('text/event-stream')) {
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, contentType, body: '' });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 65_536) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.end(request.body ?? undefined);
  });
}

async function headPosition(service: ServiceProcess): Promise<string | null> {
  const res = await fetch(`${service.url}/health/ready`);
  return ((await res.json()) as { store: { head: string | null } }).store.head;
}
