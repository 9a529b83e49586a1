import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { EventRegistry } from '../../src/events/event-registry';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { driveRealisticFlow } from './realistic-flow';

/**
 * Independent of RegisteredEventStore (which checks appends against the compiled registry):
 * a realistic flow against the sandbox tenant, every event read back the way a consumer
 * reads it (GET /api/v1/events), validated with a fresh Ajv against the JSON files in the
 * repository, the files downstream teams actually use.
 */
const CONTRACT = join(__dirname, '..', '..', 'docs', 'events');
const HOOK_SECRET = 'whsec-contract-0123456789abcdef';

interface Envelope {
  position: string;
  streamId: string;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * Types this flow cannot produce, with why (none today). Every other registered type must
 * be seen, so a new type fails here until the flow drives it or it is listed with a reason.
 */
const NOT_IN_THIS_FLOW: Readonly<Record<string, string>> = {
  InstanceLeaseRenewed: 'a heartbeat every third of SAM_INSTANCE_LEASE_SECONDS (minutes): the flow is over sooner',
  InstanceLeaseReleased: 'written as the service shuts down, after the flow has read the log',
};

describe('every event the product writes matches the JSON Schemas in the repository', () => {
  let s: SandboxApp;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let events: Envelope[];

  beforeAll(async () => {
    let offsetMs = 0;
    hook = await startWebhookReceiver(HOOK_SECRET);
    s = await startSandboxApp({
      sandbox: { users: 200, seed: 5 },
      app: { clock: { now: () => new Date(Date.now() + offsetMs) } },
    });
    await driveRealisticFlow({ s, hook, hookSecret: HOOK_SECRET, advance: (ms) => (offsetMs += ms) });
    events = await readWholeLog(s);
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await hook?.close();
  });

  it('validates each envelope against envelope.json and its type schema, with version and stream category to match', () => {
    const { envelope, byType, index } = loadContract();
    const envelopeFields = Object.keys(
      JSON.parse(readFileSync(join(CONTRACT, 'envelope.json'), 'utf8')).properties,
    ).sort();
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
      if (Object.keys(e).sort().join() !== envelopeFields.join())
        problems.push(`${at}: envelope fields ${Object.keys(e).sort()} vs envelope.json ${envelopeFields}`);
      if (e.metadata.schemaVersion !== index[e.type].schemaVersion)
        problems.push(`${at}: schemaVersion ${e.metadata.schemaVersion}, index says ${index[e.type].schemaVersion}`);
      if (!e.streamId.startsWith(`${index[e.type].category}-`))
        problems.push(`${at}: stream ${e.streamId} is not in category ${index[e.type].category}`);
      if (BigInt(e.position) <= previous) problems.push(`${at}: position does not increase`);
      previous = BigInt(e.position);
    }
    expect(events.length).toBeGreaterThan(200);
    expect(problems).toEqual([]);
  });

  it('saw every type the registry defines that this flow can produce', () => {
    const seen = new Set(events.map((e) => e.type));
    const expected = new EventRegistry(ALL_EVENT_DEFINITIONS)
      .all()
      .map((d) => d.type)
      .filter((t) => !(t in NOT_IN_THIS_FLOW));
    const missing = expected.filter((t) => !seen.has(t));
    if (missing.length > 0) {
      throw new Error(
        `not produced by the flow: ${missing.join(', ')}. Drive them in realistic-flow.ts, or list them in NOT_IN_THIS_FLOW with the reason.`,
      );
    }
    expect(Object.keys(NOT_IN_THIS_FLOW).filter((t) => seen.has(t))).toEqual([]); // listed, yet produced: unlist it
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
  expect(
    Object.values(index)
      .map((i) => i.file)
      .sort(),
  ).toEqual([...byType.keys()].map((t) => `${t}.json`).sort());
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
