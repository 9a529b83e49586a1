import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ALL_EVENT_DEFINITIONS } from '../src/domain/all-events';
import type { EventDefinition } from '../src/domain/event-definition';
import { EventRegistry } from '../src/events/event-registry';

/**
 * `npm run event-schemas`: writes the downstream event contract into docs/events from the
 * event registry, the same registry that checks every append, so the files in the
 * repository are exactly what the service enforces. test/contract/event-schemas.spec.ts
 * fails when they differ. Everything here is generated; docs/asyncapi.yaml (hand-written)
 * references the channel files.
 *
 *   schemas/<Type>.json            one JSON Schema (2020-12) per type: `registry.schemas()`, verbatim
 *   schemas/index.json             type -> category, schemaVersion, description, file
 *   envelope.json                  the envelope around type/data/metadata in /events and SSE
 *   asyncapi/<category>.channel.json  an EventStoreDB stream family: messages = data + metadata
 *   asyncapi/sse.channel.json      the SSE endpoint: messages = the envelope
 */
export const CONTRACT_DIR = 'docs/events';
/** Directories the script owns completely: a file there that it no longer renders is stale. */
export const GENERATED_DIRS = ['schemas', 'asyncapi'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Path (relative to docs/events) -> file text. Pure: the test renders it and compares. */
export function renderEventContract(
  definitions: readonly EventDefinition[] = ALL_EVENT_DEFINITIONS,
): Map<string, string> {
  const registry = new EventRegistry(definitions);
  const byType = [...registry.all()].sort((a, b) => a.type.localeCompare(b.type));
  const schemas = registry.schemas() as Record<string, Json>;
  const files = new Map<string, string>();
  for (const d of byType) files.set(`schemas/${d.type}.json`, render(schemas[d.type]));
  files.set(
    'schemas/index.json',
    render(
      Object.fromEntries(
        byType.map((d) => [
          d.type,
          {
            category: d.category,
            schemaVersion: d.schemaVersion,
            description: d.description,
            file: `${d.type}.json`,
          },
        ]),
      ),
    ),
  );
  files.set('envelope.json', render(ENVELOPE));
  for (const category of [...new Set(byType.map((d) => d.category))].sort()) {
    files.set(
      `asyncapi/${category}.channel.json`,
      render(
        streamChannel(
          category,
          byType.filter((d) => d.category === category),
        ),
      ),
    );
  }
  files.set('asyncapi/sse.channel.json', render(sseChannel(byType)));
  return files;
}

/** Writes the files under `dir` and deletes stale ones in the generated directories. */
export function writeEventContract(dir: string, files: Map<string, string>): { written: number; removed: string[] } {
  const removed: string[] = [];
  for (const sub of GENERATED_DIRS) {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const name of readdirSync(join(dir, sub))) {
      if (!files.has(`${sub}/${name}`)) {
        rmSync(join(dir, sub, name));
        removed.push(`${sub}/${name}`);
      }
    }
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { written: files.size, removed };
}

/** The public envelope (src/event-log/event-envelope.ts). Open, like every schema: fields may be added, never renamed. */
const ENVELOPE: Json = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:license-ledger:envelope:v1',
  title: 'EventEnvelope',
  description:
    'An event as GET /api/v1/events items and the SSE data: line carry it. type, data and metadata are described per type in schemas/<type>.json.',
  type: 'object',
  required: ['id', 'position', 'streamId', 'type', 'recordedAt', 'data', 'metadata'],
  properties: {
    id: {
      type: 'string',
      format: 'uuid',
      description:
        'The event id, unique and stable across re-reads and re-deliveries: deduplicate by it (or by position).',
    },
    position: {
      type: 'string',
      pattern: '^[0-9]{1,40}$',
      description:
        'Global position, a decimal integer; compare as a big integer, never as a string or a float. SSE id: carries the same value.',
    },
    streamId: {
      type: 'string',
      pattern: '^[a-z][a-z0-9]*-.+$',
      description: '`{category}-{id}`: the stream the event belongs to.',
    },
    type: { type: 'string' },
    recordedAt: { type: 'string', format: 'date-time', description: 'When the store committed the event.' },
    data: { type: 'object' },
    metadata: { type: 'object' },
  },
};

/** The hand-written AsyncAPI document, seen from docs/events/asyncapi: channels name its servers. */
const ROOT_DOC = '../../asyncapi.yaml';

/** How each category names its streams (DESIGN.md "Streams and events"); others get `{category}-{id}`. */
const STREAMS: Record<string, { address: string; description: string; parameters: Record<string, string> }> = {
  profile: {
    address: 'profile-{profileId}',
    description: 'One stream per integration profile: its settings, validation, publication and exclusion rules.',
    parameters: { profileId: 'The profile id (UUID).' },
  },
  licensee: {
    address: 'licensee-{profileId}.{userId}',
    description:
      "One stream per user of a profile: the user's license assignments, removals, activity and reclamations.",
    parameters: { profileId: 'The profile id (UUID).', userId: 'The Entra object id of the user.' },
  },
  catalog: {
    address: 'catalog-{profileId}',
    description:
      "What a profile's tenant holds: software models, unrecognised identifiers, entitlements, reclamation rules, price overrides and the summaries of each download and activity pull.",
    parameters: { profileId: 'The profile id (UUID).' },
  },
  job: {
    address: 'job-{profileId}.{job}',
    description:
      'The single run slot of a profile job: which run holds it (claimed with an expected revision) and when it is released.',
    parameters: { profileId: 'The profile id (UUID).', job: 'download-subscriptions or refresh-activity.' },
  },
  jobrun: {
    address: 'jobrun-{runId}',
    description: 'One job run: started, progress, then succeeded or failed with its summary.',
    parameters: { runId: 'The run id (UUID).' },
  },
};

function streamChannel(category: string, definitions: readonly EventDefinition[]): Json {
  const known = STREAMS[category] ?? {
    address: `${category}-{id}`,
    description: `Streams of category ${category}.`,
    parameters: { id: 'The stream id after the category.' },
  };
  return {
    address: known.address,
    title: `${category} streams`,
    description: `${known.description} Category \`${category}\`: all of them are \`$ce-${category}\` when the server runs the by-category system projection (the provided docker-compose does not), or \`$all\` filtered by the stream-name prefix \`${category}-\`. An EventStoreDB event's data is the payload and its JSON metadata the headers; metadata.schemaVersion is the version it was written under (these reads are not upcast).`,
    parameters: Object.fromEntries(
      Object.entries(known.parameters).map(([name, description]) => [name, { description }]),
    ),
    servers: [{ $ref: `${ROOT_DOC}#/servers/eventstore` }],
    messages: Object.fromEntries(
      definitions.map((d) => [
        d.type,
        {
          ...messageInfo(d),
          payload: { $ref: `../schemas/${d.type}.json#/properties/data` },
          headers: { $ref: `../schemas/${d.type}.json#/properties/metadata` },
          correlationId: { location: '$message.header#/correlationId' },
        },
      ]),
    ),
  };
}

function sseChannel(definitions: readonly EventDefinition[]): Json {
  return {
    address: '/events/stream',
    title: 'Server-Sent Events over the global log',
    description:
      'Every event of every stream in global order. Each SSE message has `id:` = the global position, `event:` = the type and `data:` = the envelope as JSON. Events written under an older schema version arrive upcast to the current one.',
    servers: [{ $ref: `${ROOT_DOC}#/servers/ledger` }],
    messages: Object.fromEntries(
      definitions.map((d) => [
        d.type,
        {
          ...messageInfo(d),
          payload: { allOf: [{ $ref: '../envelope.json' }, { $ref: `../schemas/${d.type}.json` }] },
          correlationId: { location: '$message.payload#/metadata/correlationId' },
        },
      ]),
    ),
  };
}

const messageInfo = (d: EventDefinition): { [key: string]: Json } => ({
  name: d.type,
  title: d.type,
  summary: d.description,
  contentType: 'application/json',
  'x-schema-version': d.schemaVersion,
});

/**
 * Pretty JSON with a stable key order, so a reordering in the source never shows up as a
 * diff: schema keywords in a fixed reading order, names (properties, messages...) alphabetical.
 */
export function render(value: Json): string {
  return `${JSON.stringify(canonical(value, false), null, 2)}\n`;
}

const KEYWORDS = [
  '$schema',
  '$id',
  '$ref',
  'address',
  'name',
  'title',
  'category',
  'schemaVersion',
  'summary',
  'description',
  'x-stream-category',
  'x-schema-version',
  'contentType',
  'type',
  'const',
  'enum',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'items',
  'required',
  'properties',
  'additionalProperties',
  'anyOf',
  'allOf',
  'parameters',
  'servers',
  'headers',
  'payload',
  'correlationId',
  'messages',
  'file',
];
const NAME_MAPS = new Set(['properties', 'messages', 'parameters']);
const rank = (key: string): number => (KEYWORDS.includes(key) ? KEYWORDS.indexOf(key) : KEYWORDS.length);

function canonical(value: Json, namesAlphabetical: boolean): Json {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort(
    (a, b) => (namesAlphabetical ? 0 : rank(a) - rank(b)) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return Object.fromEntries(keys.map((k) => [k, canonical(value[k], !namesAlphabetical && NAME_MAPS.has(k))]));
}

if (require.main === module) {
  const dir = resolve(process.cwd(), CONTRACT_DIR);
  const { written, removed } = writeEventContract(dir, renderEventContract());
  process.stdout.write(
    `wrote ${written} files to ${dir}${removed.length ? `; removed stale ${removed.join(', ')}` : ''}\n`,
  );
}
