import { load } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { EventRegistry } from '../../src/events/event-registry';

/**
 * docs/asyncapi.yaml is hand-written and points into generated files. No AsyncAPI tooling
 * is installed (and none is added), so this is a structural check: it parses (js-yaml,
 * already installed with @nestjs/swagger), every $ref in it and in every file it reaches
 * resolves to an existing file and JSON pointer, and every registered category and type
 * is reachable from a channel.
 */
const ROOT = resolve(__dirname, '..', '..', 'docs', 'asyncapi.yaml');
type Node = { [key: string]: unknown };

const documents = new Map<string, unknown>();
function documentAt(file: string): unknown {
  if (!documents.has(file))
    documents.set(
      file,
      file.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : load(readFileSync(file, 'utf8')),
    );
  return documents.get(file);
}

/** RFC 6901 pointer ('' = the whole document); undefined when it leads nowhere. */
function pointer(doc: unknown, path: string): unknown {
  let at = doc;
  for (const raw of path.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object' || !(key in at)) return undefined;
    at = (at as Node)[key];
  }
  return at;
}

/** Every $ref under `node`, with the file it was found in. */
function refsIn(
  node: unknown,
  file: string,
  out: { file: string; ref: string }[] = [],
): { file: string; ref: string }[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, file, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push({ file, ref: value });
      else refsIn(value, file, out);
    }
  }
  return out;
}

/** Follows every reference transitively; returns the problems. */
function checkReferences(): string[] {
  const problems: string[] = [];
  const visited = new Set<string>();
  const pending = [ROOT];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (visited.has(file)) continue;
    visited.add(file);
    for (const { ref } of refsIn(documentAt(file), file)) {
      const [path, fragment = ''] = ref.split('#');
      const target = path === '' ? file : join(dirname(file), path);
      if (!existsSync(target)) {
        problems.push(`${relative(dirname(ROOT), file)}: ${ref} -> no such file`);
        continue;
      }
      if (pointer(documentAt(target), fragment) === undefined)
        problems.push(`${relative(dirname(ROOT), file)}: ${ref} -> no such pointer`);
      if (path !== '') pending.push(target);
    }
  }
  return problems;
}

const deref = (node: unknown, file = ROOT): Node => {
  const ref = (node as Node).$ref;
  if (typeof ref !== 'string') return node as Node;
  const [path, fragment = ''] = ref.split('#');
  const target = path === '' ? file : join(dirname(file), path);
  return deref(pointer(documentAt(target), fragment), target);
};

describe('docs/asyncapi.yaml', () => {
  const doc = documentAt(ROOT) as Node;
  const definitions = new EventRegistry(ALL_EVENT_DEFINITIONS).all();

  it('is an AsyncAPI 3 document with both transports', () => {
    expect(doc.asyncapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.servers).toMatchObject({
      eventstore: { protocol: 'esdb' },
      ledger: { protocol: 'http', pathname: '/api/v1' },
    });
    const operations = Object.values(doc.operations as Record<string, Node>);
    expect(operations.every((o) => o.action === 'receive')).toBe(true);
  });

  it('every $ref resolves, in it and in every file it reaches', () => {
    expect(checkReferences()).toEqual([]);
  });

  it('has a channel and an operation for every category, and every type is a message there and on SSE', () => {
    const channels = doc.channels as Record<string, Node>;
    const operations = Object.values(doc.operations as Record<string, Node>);
    const operated = new Set(operations.map((o) => (o.channel as Node).$ref));
    const problems: string[] = [];
    const sse = deref(channels.eventStream);
    expect(sse.address).toBe('/events/stream');
    for (const category of new Set(definitions.map((d) => d.category))) {
      const entry = Object.entries(channels).find(([, c]) => c.$ref === `./events/asyncapi/${category}.channel.json`);
      if (!entry) {
        problems.push(`category ${category}: add a channel with $ref ./events/asyncapi/${category}.channel.json`);
        continue;
      }
      if (!operated.has(`#/channels/${entry[0]}`))
        problems.push(`category ${category}: add a receive operation on #/channels/${entry[0]}`);
      const channel = deref(entry[1]);
      expect(String(channel.address).startsWith(`${category}-`)).toBe(true);
      for (const d of definitions.filter((x) => x.category === category)) {
        if (!(channel.messages as Node)[d.type]) problems.push(`${d.type}: not a message of ${entry[0]}`);
        if (!(sse.messages as Node)[d.type]) problems.push(`${d.type}: not a message of the SSE channel`);
      }
    }
    expect(problems).toEqual([]);
  });
});
