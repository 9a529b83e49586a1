import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { ALL_EVENT_DEFINITIONS } from '../../src/events/all-events';
import { EventRegistry } from '../../src/events/event-registry';
import type { DirectoryUser } from '../../src/sandbox';
import { SANDBOX_SKUS } from '../../src/sandbox/sku-catalog';
import { runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

/**
 * Independent of RegisteredEventStore (which checks appends against the compiled registry):
 * a realistic flow against the sandbox tenant, every event read back the way a consumer
 * reads it (GET /api/v1/events), validated with a fresh Ajv against the JSON files in the
 * repository, the files downstream teams actually use.
 */
const CONTRACT = join(__dirname, '..', '..', 'docs', 'events');

interface Envelope {
  position: string;
  streamId: string;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * Types this flow cannot produce, with why. Every other registered type must be seen, so a
 * new type fails here until the flow drives it or it is listed with a reason.
 */
function notInThisFlow(type: string): string | null {
  if (type === 'SubscriptionReclaimed' || (type.startsWith('Reclamation') && !type.startsWith('ReclamationRule'))) {
    return 'the reclamation workflow (issue items 1-4) is being built; drive it here once its routes exist';
  }
  return null;
}

describe('every event the product writes matches the JSON Schemas in the repository', () => {
  let s: SandboxApp;
  let events: Envelope[];

  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 120, seed: 11 } });
    await driveRealisticFlow(s);
    events = await readWholeLog(s);
  }, 180_000);
  afterAll(() => s?.close());

  it('validates each envelope against envelope.json and its type schema, with version and stream category to match', () => {
    const { envelope, byType, index } = loadContract();
    const envelopeFields = Object.keys(JSON.parse(readFileSync(join(CONTRACT, 'envelope.json'), 'utf8')).properties).sort();
    const problems: string[] = [];
    let previous = -1n;
    for (const e of events) {
      const at = `${e.position} ${e.type}`;
      const validate = byType.get(e.type);
      if (!validate || !index[e.type]) {
        problems.push(`${at}: no schema in docs/events/schemas`);
        continue;
      }
      if (!envelope(e)) problems.push(`${at}: envelope ${ajvErrors(envelope)}`);
      if (!validate(e)) problems.push(`${at}: ${ajvErrors(validate)}`);
      // Fields added to the envelope in src must be documented in envelope.json too.
      if (Object.keys(e).sort().join() !== envelopeFields.join()) problems.push(`${at}: envelope fields ${Object.keys(e).sort()} vs envelope.json ${envelopeFields}`);
      if (e.metadata.schemaVersion !== index[e.type].schemaVersion) problems.push(`${at}: schemaVersion ${e.metadata.schemaVersion}, index says ${index[e.type].schemaVersion}`);
      if (!e.streamId.startsWith(`${index[e.type].category}-`)) problems.push(`${at}: stream ${e.streamId} is not in category ${index[e.type].category}`);
      if (BigInt(e.position) <= previous) problems.push(`${at}: position does not increase`);
      previous = BigInt(e.position);
    }
    expect(events.length).toBeGreaterThan(200);
    expect(problems).toEqual([]);
  });

  it('saw every type the registry defines that this flow can produce', () => {
    const seen = new Set(events.map((e) => e.type));
    const expected = new EventRegistry(ALL_EVENT_DEFINITIONS).all().map((d) => d.type).filter((t) => notInThisFlow(t) === null);
    const missing = expected.filter((t) => !seen.has(t));
    if (missing.length > 0) {
      throw new Error(`not produced by the flow: ${missing.join(', ')}. Drive them in driveRealisticFlow, or list them in notInThisFlow with the reason.`);
    }
    expect(expected.length).toBeGreaterThanOrEqual(29);
  });
});

/** Ajv as a downstream consumer would set it up: strict, formats on, our x- annotations declared. */
function loadContract() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(['x-stream-category', 'x-schema-version']);
  const read = (path: string) => JSON.parse(readFileSync(join(CONTRACT, path), 'utf8'));
  const index = read('schemas/index.json') as Record<string, { category: string; schemaVersion: number; file: string }>;
  const byType = new Map<string, ValidateFunction>();
  for (const file of readdirSync(join(CONTRACT, 'schemas')).filter((f) => f !== 'index.json')) {
    const schema = read(`schemas/${file}`);
    byType.set(schema.title, ajv.compile(schema));
  }
  expect(Object.values(index).map((i) => i.file).sort()).toEqual([...byType.keys()].map((t) => `${t}.json`).sort());
  return { envelope: ajv.compile(read('envelope.json')), byType, index };
}

const ajvErrors = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');

async function readWholeLog(s: SandboxApp): Promise<Envelope[]> {
  const out: Envelope[] = [];
  let cursor: string | null = null;
  do {
    const page = await s.t.as('consumer').get(`/api/v1/events?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The e2e flow (test/e2e/ledger.e2e.spec.ts) plus what it leaves out: a failed validation,
 * a delegated sign-in, a return to draft, a failed run, group and directory changes.
 */
async function driveRealisticFlow(s: SandboxApp): Promise<void> {
  const admin = () => s.t.as('admin');
  const ok = async (res: Promise<{ status: number; body: unknown }> | { status: number; body: unknown }, status: number) => {
    const r = await res;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as Record<string, any>;
  };

  // A profile that first fails validation (wrong secret), is fixed, validated and published.
  const created = await ok(admin().post('/api/v1/profiles').send(s.sandbox.profileBody({ subscriptionConnection: { clientSecret: 'not-the-secret' } })), 201);
  const id = created.id as string;
  expect((await ok(admin().post(`/api/v1/profiles/${id}/validate`), 200)).valid).toBe(false);
  await ok(admin().patch(`/api/v1/profiles/${id}`).send({ subscriptionConnection: { clientSecret: s.sandbox.clientSecret } }), 200);
  expect((await ok(admin().post(`/api/v1/profiles/${id}/validate`), 200)).valid).toBe(true);
  await ok(admin().post(`/api/v1/profiles/${id}/publish`), 200);

  expect((await runJob(s, id, 'download-subscriptions')).status).toBe('succeeded');
  expect((await runJob(s, id, 'refresh-activity')).status).toBe('succeeded');

  // The tenant changes between the runs.
  const tenant = s.sandbox.tenant;
  // Users holding a Dynamics / Power Platform SKU directly (Office SKUs are out of scope).
  const tracked = new Set(SANDBOX_SKUS.filter((k) => k.family !== 'office').map((k) => k.skuId));
  const directSku = (u: DirectoryUser) => u.licenses.find((l) => l.assignedByGroup === null && tracked.has(l.skuId))?.skuId;
  const licensed = tenant.directory.users.filter((u) => directSku(u) !== undefined).slice(1, 6);
  const direct = (u: DirectoryUser) => directSku(u)!;
  const [removed, deleted, toggled, grouped, gaining] = licensed;
  tenant.removeLicense(removed.id, direct(removed));
  tenant.deleteUser(deleted.id);
  tenant.updateUser(toggled.id, { accountEnabled: !toggled.accountEnabled });
  // The same SKU through a group as well: the assignment becomes 'both'.
  tenant.addGroupMember(tenant.addGroup({ displayName: 'Contract test group', licenses: [direct(grouped)] }).id, grouped.id);
  tenant.assignLicense(gaining.id, 'DYN365_TEAM_MEMBERS');
  tenant.setPrepaidUnits('DYN365_ENTERPRISE_SALES', { enabled: 1000 });
  tenant.addAuditRows([{ entraObjectId: gaining.id, createdOn: new Date(), objectTypeCode: 'opportunity' }]);

  expect((await runJob(s, id, 'download-subscriptions')).status).toBe('succeeded');
  expect((await runJob(s, id, 'refresh-activity')).status).toBe('succeeded');

  // A run that fails: Graph keeps answering 503.
  s.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'unavailable', times: 50 });
  expect((await runJob(s, id, 'download-subscriptions')).status).toBe('failed');
  s.sandbox.faults.clear();

  // Rules and prices.
  const rule = await ok(admin().post(`/api/v1/profiles/${id}/exclusion-rules`).send({ type: 'identifier', value: 'DYN365_ENTERPRISE_SALES', reason: 'enterprise agreement' }), 201);
  await ok(admin().delete(`/api/v1/profiles/${id}/exclusion-rules/${rule.id}`), 204);
  const rules = (await ok(s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamation-rules`), 200)).items as { id: string; skuPartNumber: string }[];
  await ok(admin().patch(`/api/v1/profiles/${id}/reclamation-rules/${rules[0].id}`).send({ inactivityDays: 7 }), 200);
  await ok(admin().put(`/api/v1/profiles/${id}/prices/${rules[0].skuPartNumber}`).send({ listPriceMonthly: 95, currency: 'USD', source: 'EA 2026' }), 200);
  await ok(admin().delete(`/api/v1/profiles/${id}/prices/${rules[0].skuPartNumber}`), 204);

  // A second profile: delegated sign-in, published, then sent back to draft by a change.
  const second = (await ok(admin().post('/api/v1/profiles').send(s.sandbox.profileBody({ displayName: 'Delegated' })), 201)).id as string;
  await ok(admin().patch(`/api/v1/profiles/${second}`).send({ subscriptionConnection: { permissionType: 'delegated' } }), 200);
  const authorize = await admin().get(`/api/v1/profiles/${second}/connections/subscription/authorize`);
  const callback = await followOnce(authorize.headers.location, s.sandbox.caPem);
  await ok(s.t.anonymous().get(callback.slice(s.t.url.length)), 200);
  await publishedAgain(s, second);
  await ok(admin().patch(`/api/v1/profiles/${second}`).send({ downloadActivity: false }), 200);
}

async function publishedAgain(s: SandboxApp, id: string): Promise<void> {
  const validated = await s.t.as('admin').post(`/api/v1/profiles/${id}/validate`);
  if (!validated.body.valid) throw new Error(`validation failed: ${JSON.stringify(validated.body)}`);
  const published = await s.t.as('admin').post(`/api/v1/profiles/${id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
}

/** One hop of the browser's redirect chain: the sandbox signs the admin in and redirects back. */
function followOnce(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca }, (res) => {
      res.resume();
      if (res.statusCode !== 302 || !res.headers.location) reject(new Error(`expected a redirect, got ${res.statusCode}`));
      else resolve(res.headers.location);
    });
    req.on('error', reject);
    req.end();
  });
}
