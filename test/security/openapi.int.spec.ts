import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

type Doc = {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, any> };
};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, with its method and path template. */
function operations(doc: Doc) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );
}

/**
 * The OpenAPI document promises what the service answers: every operation its success body
 * and its problem answers (API.md: "Each /api/v1 operation's OpenAPI entry documents its
 * success body and its application/problem+json errors; the bearer scheme has no
 * bearerFormat"), and the answers of a real flow against the sandbox match those schemas.
 */
describe('the OpenAPI document', () => {
  let s: SandboxApp;
  let doc: Doc;
  let profileId: string;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 80, seed: 33 } });
    doc = (await s.t.anonymous().get('/docs-json')).body;
    profileId = await publishedProfile(s);
    await runJob(s, profileId, 'download-subscriptions');
    await runJob(s, profileId, 'refresh-activity');
  }, 60_000);
  afterAll(() => s?.close());

  it('declares an opaque bearer scheme: no bearerFormat', () => {
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      description: expect.any(String),
    });
  });

  it('gives every operation its success answer, with a body unless it is 204 or a redirect', () => {
    const missing = operations(doc).flatMap(({ path, method, op }) => {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^[23]/.test(status));
      if (success.length === 0) return [`${method} ${path}: no success response`];
      return success
        .filter(([status, r]: [string, any]) => status !== '204' && !status.startsWith('3') && !r.content)
        .map(([status]) => `${method} ${path}: ${status} without a body schema`);
    });
    expect(missing).toEqual([]);
  });

  it('gives every operation its problem answers as application/problem+json, as its route and access imply', () => {
    const wrong: string[] = [];
    for (const { path, method, op } of operations(doc)) {
      const statuses = Object.keys(op.responses).filter((s) => /^[45]/.test(s));
      for (const status of statuses) {
        const schema = op.responses[status].content?.['application/problem+json']?.schema;
        if (schema?.$ref !== '#/components/schemas/Problem') wrong.push(`${method} ${path} ${status}: not a Problem`);
      }
      const expect4xx = (status: string, why: string) => {
        if (!statuses.includes(status)) wrong.push(`${method} ${path}: no ${status} (${why})`);
      };
      const params: { in: string }[] = op.parameters ?? [];
      const isPublic = (op.security ?? []).some((r: object) => Object.keys(r).length === 0);
      if (op.requestBody || params.length > 0) expect4xx('400', 'it takes input');
      if (!isPublic) expect4xx('401', 'it needs a key');
      if (params.some((p) => p.in === 'path')) expect4xx('404', 'its path names a resource');
      if (op.requestBody) expect4xx('413', 'it takes a body');
      if (method !== 'get' && !path.startsWith('/api/v1/sessions')) expect4xx('409', 'it is a command');
      expect4xx('429', 'wrong keys are throttled everywhere');
    }
    expect(wrong).toEqual([]);
    expect(doc.components.schemas.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail'] });
  });

  describe('matches what the service answers', () => {
    let ajv: Ajv;
    const validators = new Map<string, ValidateFunction>();
    beforeAll(() => {
      ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema({ $id: 'openapi', components: doc.components });
    });

    /** The documented schema of an answer, by the path template and the status. */
    function validatorFor(method: string, template: string, status: number, mediaType: string): ValidateFunction {
      const key = `${method} ${template} ${status} ${mediaType}`;
      let validate = validators.get(key);
      if (!validate) {
        const schema = doc.paths[template]?.[method]?.responses?.[String(status)]?.content?.[mediaType]?.schema;
        if (!schema) throw new Error(`${key} is not documented`);
        validate = ajv.compile(
          JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')),
        );
        validators.set(key, validate);
      }
      return validate;
    }

    async function check(method: string, template: string, path: string, body?: object) {
      const admin = s.t.as('admin');
      const request = (admin as any)[method](path);
      const answer = body ? await request.send(body) : await request;
      const mediaType = String(answer.headers['content-type'] ?? '').split(';')[0];
      if (answer.status === 204) return { template, status: 204, problems: null };
      const validate = validatorFor(method, template, answer.status, mediaType);
      const ok = validate(answer.body);
      return { template, status: answer.status, problems: ok ? null : ajv.errorsText(validate.errors) };
    }

    it('for every read of a profile that has run its jobs, and for the commands', async () => {
      const p = `/api/v1/profiles/${profileId}`;
      const subs = (await s.t.as('auditor').get(`${p}/subscriptions?limit=1000`)).body.items;
      const direct = subs.find((r: any) => r.assignedVia === 'direct' && r.skuPartNumber.startsWith('DYN365'));
      const rule = (await s.t.as('auditor').get(`${p}/reclamation-rules`)).body.items[0];
      const run = (await s.t.as('auditor').get(`${p}/job-runs`)).body.items[0];
      const P = '/api/v1/profiles/{id}';
      const results = [
        await check('get', '/api/v1/read-models', '/api/v1/read-models'),
        await check('get', '/api/v1/events', '/api/v1/events?limit=50'),
        await check('get', '/api/v1/events/schemas', '/api/v1/events/schemas'),
        await check('get', '/api/v1/profiles', '/api/v1/profiles'),
        await check('get', P, p),
        await check('patch', P, p, { displayName: 'checked against the document' }),
        await check('post', `${P}/validate`, `${p}/validate`),
        await check('post', `${P}/publish`, `${p}/publish`),
        await check('post', `${P}/exclusion-rules`, `${p}/exclusion-rules`, { type: 'user', value: 'x@contoso.test' }),
        await check('get', `${P}/exclusion-rules`, `${p}/exclusion-rules`),
        await check('get', `${P}/jobs`, `${p}/jobs`),
        await check('get', `${P}/job-runs`, `${p}/job-runs`),
        await check('get', '/api/v1/job-runs/{runId}', `/api/v1/job-runs/${run.runId}`),
        ...(await Promise.all(
          [
            'software-models',
            'unrecognized-identifiers',
            'subscriptions',
            'low-usage?include=unproven',
            'activity-coverage',
            'downgrade-advice',
            'integrations',
            'consolidation',
            'license-position',
            `license-position?asOf=${new Date(Date.now() - 3_600_000).toISOString()}`,
            'reclamation-rules',
            'prices',
            'entitlements',
          ].map((q) => check('get', `${P}/${q.split('?')[0]}`, `${p}/${q}`)),
        )),
        await check('patch', `${P}/reclamation-rules/{ruleId}`, `${p}/reclamation-rules/${rule.id}`, {
          inactivityDays: 61,
        }),
        await check('put', `${P}/prices/{skuPartNumber}`, `${p}/prices/DYN365_ENTERPRISE_SALES`, {
          listPriceMonthly: 99,
        }),
        await check('post', `${P}/reclamations`, `${p}/reclamations`, {
          userId: direct.userId,
          skuId: direct.skuId,
          dryRun: true,
        }),
        await check('post', `${P}/reclamations`, `${p}/reclamations`, {
          userId: direct.userId,
          skuId: direct.skuId,
          dryRun: false,
        }),
        await check('get', `${P}/reclamations`, `${p}/reclamations`),
        await check('get', `${P}/users/{userId}/history`, `${p}/users/${direct.userId}/history`),
        await check(
          'get',
          `${P}/software-models/{skuPartNumber}/history`,
          `${p}/software-models/DYN365_ENTERPRISE_SALES/history`,
        ),
        await check('get', `${P}/exports/{dataset}`, `${p}/exports/low-usage?format=json`),
        await check('post', `${P}/jobs/{job}/runs`, `${p}/jobs/refresh-activity/runs`),
        await check('get', '/api/v1/whoami', '/api/v1/whoami'),
        await check('get', '/api/v1/sessions/options', '/api/v1/sessions/options'),
      ];
      expect(results.filter((r) => r.problems !== null || r.status >= 400)).toEqual([]);
      expect(results.length).toBeGreaterThan(30);
    });

    it('for problems too', async () => {
      const p = `/api/v1/profiles/${profileId}`;
      const results = [
        await check('get', '/api/v1/profiles/{id}', '/api/v1/profiles/00000000-0000-4000-8000-000000000000'),
        await check('post', '/api/v1/profiles', '/api/v1/profiles', { displayName: 7, unknown: true }),
        await check('post', '/api/v1/profiles/{id}/reclamations', `${p}/reclamations`, {
          userId: '00000000-0000-4000-8000-000000000000',
          skuPartNumber: 'NOT_HELD',
          dryRun: false,
        }),
      ];
      expect(results.map((r) => [r.status, r.problems])).toEqual([
        [404, null],
        [400, null],
        [404, null],
      ]);
    });
  });
});
