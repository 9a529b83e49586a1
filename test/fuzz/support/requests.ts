// Longer than 300 lines: one generator per kind of bad request the fuzz test sends, kept together
// so that every kind is visible in one place.
import { gzipSync } from 'node:zlib';
import { hostileBody } from './hostile-bodies';
import { junkValue, type Random } from './random';

type Schema = Record<string, any>;

/** One operation of the service's OpenAPI document. */
export interface Operation {
  readonly method: string;
  /** The template, e.g. `/api/v1/profiles/{id}`. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly { name: string; schema: Schema }[];
  readonly bodySchema: Schema | null;
  /** All methods the document declares for this path (a wrong method must not hit one of them). */
  readonly methodsOfPath: readonly string[];
}

export interface FuzzRequest {
  readonly method: string;
  /** Raw request target, percent-encoded as generated (possibly badly, on purpose). */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | null;
  /** Why this request must not change anything: for commands, what makes it invalid. */
  readonly refusedBecause: string | null;
}

export interface Context {
  readonly keys: { admin: string; auditor: string; consumer: string };
  /** Values of path parameters that exist (an existing profile id, a job name...). */
  readonly known: Record<string, string>;
}

export function operationsOf(doc: {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, Schema> };
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const methods = Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m));
    for (const method of methods) {
      const op = item[method];
      const params: { name: string; in: string; schema?: Schema }[] = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        bodySchema: json ? resolve(json, doc) : null,
        methodsOfPath: methods.map((m) => m.toUpperCase()),
      });
    }
  }
  return out;
}

/** Inlines $ref and allOf so the generator sees plain schemas. */
function resolve(schema: Schema, doc: { components?: { schemas?: Record<string, Schema> } }, depth = 0): Schema {
  if (depth > 8) return {};
  if (schema.$ref)
    return resolve(doc.components?.schemas?.[String(schema.$ref).split('/').pop()!] ?? {}, doc, depth + 1);
  const merged: Schema = { ...schema };
  if (Array.isArray(schema.allOf)) {
    delete merged.allOf;
    for (const part of schema.allOf) Object.assign(merged, resolve(part, doc, depth + 1));
  }
  if (merged.properties)
    merged.properties = Object.fromEntries(
      Object.entries(merged.properties).map(([k, v]) => [k, resolve(v as Schema, doc, depth + 1)]),
    );
  if (merged.items) merged.items = resolve(merged.items, doc, depth + 1);
  return merged;
}

/** A value that fits the schema as far as the document says (examples, enums, formats). */
function plausible(schema: Schema, rng: Random): unknown {
  if (schema.example !== undefined && rng.chance(0.5)) return schema.example;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  switch (schema.type) {
    case 'object':
      if (!schema.properties) return {};
      return Object.fromEntries(
        Object.entries(schema.properties)
          .filter(([k]) => (schema.required ?? []).includes(k) || rng.chance(0.6))
          .map(([k, v]) => [k, plausible(v as Schema, rng)]),
      );
    case 'array':
      return Array.from({ length: rng.int(0, 3) }, () => plausible(schema.items ?? {}, rng));
    case 'boolean':
      return rng.chance(0.5);
    case 'number':
    case 'integer':
      return rng.int(Math.max(-5, schema.minimum ?? -5), Math.min(4000, schema.maximum ?? 4000));
    default:
      if (schema.format === 'uuid') return rng.uuid();
      return rng.pick([
        '2026-01-01',
        'https://login.microsoftonline.com',
        'Contoso',
        'DYN365_ENTERPRISE_SALES',
        rng.text(12),
      ]);
  }
}

/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, as a browser would send them). */
function pct(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Characters Node lets through in a request target unencoded (0x21-0xFF). */
function raw(text: string): string {
  return [...text].map((c) => (c.charCodeAt(0) >= 0x21 && c.charCodeAt(0) <= 0xff ? c : pct(c))).join('');
}

/** Characters Node lets through in a header value (tab, 0x20-0x7E, 0x80-0xFF); the rest percent-encoded. */
function headerText(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code === 9 || (code >= 0x20 && code <= 0xff && code !== 0x7f) ? c : pct(c);
    })
    .join('');
}

function oddSegment(rng: Random): string {
  return rng.pick([
    () => pct(rng.text()),
    () => raw(rng.text()),
    () => rng.uuid().toUpperCase(),
    () => `${rng.uuid()}x`,
    () => '%ZZ',
    () => '%E0%A4%A',
    () => '%00',
    () => '%C0%AF',
    () => '..',
    () => '%2e%2e%2f%2e%2e',
    () => 'a%2Fb',
    () => pct('\ud83d\ude00'),
    () => 'x'.repeat(rng.int(300, 6_000)),
    () => '',
    () => pct(' '),
    () => '\u00e9\u00ff',
    () => '00000000-0000-0000-0000-000000000000',
  ])();
}

function paramValue(name: string, rng: Random, ctx: Context, mustBeWrong: boolean): string {
  const known = ctx.known[name];
  if (!mustBeWrong && known !== undefined && rng.chance(0.6)) return rng.chance(0.2) ? pct(known) : known;
  if (rng.chance(0.35)) return rng.uuid();
  return oddSegment(rng);
}

function queryString(op: Operation, rng: Random): string {
  const parts: string[] = [];
  for (const { name } of op.queryParams) {
    if (!rng.chance(0.5)) continue;
    const value = rng.pick([
      () => String(rng.int(-3, 1_200)),
      () => rng.pick(['1e3', '0x10', '1.5', '-0', 'NaN', 'Infinity', '99999999999999999999999999999999999999999', '']),
      () => pct(rng.text()),
      () => raw(rng.text(10)),
      () =>
        rng.pick([
          '2026-01-01',
          '2026-13-45T99:99:99Z',
          '1970-01-01T00:00:00.000Z',
          'now',
          pct('2026-01-01T00:00:00+14:00'),
        ]),
      () => pct(Buffer.from(rng.text(20)).toString('base64url')),
    ])();
    parts.push(`${name}=${value}`);
    if (rng.chance(0.1)) parts.push(`${name}=${value}`);
    if (rng.chance(0.05)) parts.push(`${name}[]=1&${name}[x]=2`);
  }
  if (rng.chance(0.2)) parts.push(`${pct(rng.text(6))}=${pct(rng.text(6))}`);
  if (rng.chance(0.05))
    parts.push(
      rng.pick(['__proto__[x]=1', 'constructor[prototype][x]=1', 'a[b][c][d][e][f][g]=1', '&&&', '=', '%', 'limit']),
    );
  if (parts.length === 0) return rng.chance(0.05) ? '?' : '';
  return `?${parts.join('&')}`;
}

function authorization(rng: Random, ctx: Context, allowAdmin: boolean): Record<string, string> {
  const choices: (() => Record<string, string>)[] = [
    () => ({}),
    () => ({ authorization: `Bearer ${ctx.keys.auditor}` }),
    () => ({ authorization: `Bearer ${ctx.keys.consumer}` }),
    () => ({ authorization: `Bearer ${headerText(rng.text(30))}` }),
    () => ({
      authorization: rng.pick([
        'Bearer',
        'Bearer ',
        'Basic YWRtaW46YWRtaW4=',
        `bearer  ${ctx.keys.admin}x`,
        `${ctx.keys.admin}`,
        `Bearer ${ctx.keys.admin.slice(0, -1)}`,
        `Bearer ${'a'.repeat(6_000)}`,
      ]),
    }),
  ];
  if (allowAdmin)
    choices.push(
      () => ({ authorization: `Bearer ${ctx.keys.admin}` }),
      () => ({ authorization: `Bearer ${ctx.keys.admin}` }),
      () => ({ authorization: `Bearer ${ctx.keys.auditor}` }),
    );
  return rng.pick(choices)();
}

/** A body the validation must refuse whatever else is right: why, and the bytes. */
function invalidBody(schema: Schema, rng: Random): { why: string; text: string } {
  const kind = rng.pick(['unknown-field', 'unknown-field', 'unknown-field', 'not-an-object', 'malformed', 'hostile']);
  if (kind === 'hostile') return hostileBody(rng);
  if (kind === 'not-an-object') {
    const value = rng.pick([[], [plausible(schema, rng)], 'text', 42, true, null, [[[]]]]);
    return { why: `body is ${JSON.stringify(value).slice(0, 40)}, not an object`, text: JSON.stringify(value) };
  }
  if (kind === 'malformed') {
    const valid = JSON.stringify(plausible(schema, rng));
    const text = rng.pick([
      valid.slice(0, Math.max(1, Math.floor(valid.length / 2))),
      `${valid.slice(0, -1)},}`,
      valid.replace(/"/g, "'"),
      `{"a":NaN}`,
      `{"a":1}/*c*/`,
      `${valid}${valid}`,
      '{"a":"\\x"}',
      '{"a":"\\ud800"',
      '['.repeat(100_000),
    ]);
    return { why: 'body is not valid JSON', text };
  }
  const body = (plausible(schema, rng) ?? {}) as Record<string, unknown>;
  const unknown = `x_${rng.text(10).replace(/[^A-Za-z0-9_]/g, '') || 'field'}`;
  body[unknown] = junkValue(rng);
  mutate(body, schema, rng);
  let text = JSON.stringify(body);
  if (rng.chance(0.1)) {
    // Deeply nested under an unknown field: stacks and recursive validators.
    const depth = rng.int(500, 20_000);
    const [open, close] = rng.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    text = `${text.slice(0, -1)},"x_deep":${open.repeat(depth)}1${close.repeat(depth)}}`;
  }
  return { why: `unknown field ${unknown}`, text };
}

/** Noise on top of the invalidity: wrong types, missing fields, odd keys, big values. */
function mutate(body: Record<string, unknown>, schema: Schema, rng: Random): void {
  const names = Object.keys(schema.properties ?? {});
  for (let i = rng.int(0, 3); i > 0; i--) {
    const name = rng.pick(names.length > 0 ? names : ['x']);
    rng.pick([
      () => (body[name] = junkValue(rng)),
      () => delete body[name],
      () =>
        (body[name] = {
          ...(typeof body[name] === 'object' && body[name] !== null ? (body[name] as object) : {}),
          [`x_${rng.int(0, 99)}`]: junkValue(rng),
        }),
      () =>
        (body[name] = rng.pick([
          1e308,
          -1e308,
          2 ** 53 + 2,
          -0,
          0.1 + 0.2,
          '\u0000',
          '\ud800',
          '\u202e\u0645',
          'x'.repeat(100_000),
        ])),
      () =>
        Object.defineProperty(body, '__proto__', {
          value: { admin: true, polluted: 1 },
          enumerable: true,
          configurable: true,
          writable: true,
        }),
      () => (body['constructor'] = { prototype: { polluted: 1 } }),
    ])();
  }
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'application/merge-patch+json',
  'Application/JSON',
  'application/json; charset=UTF-8; boundary=x',
];
const OTHER_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  '*/*',
  ';;;',
  'application/',
];

/**
 * One request to `op`. GETs may be anything. A command (any other method) is made
 * invalid on purpose by at least one of: its body (for operations that take one), a path
 * parameter that names nothing, or a key that may not command; so none may change anything.
 */
export function generate(op: Operation, rng: Random, ctx: Context): FuzzRequest {
  let method = op.method;
  let wrongMethod = false;
  if (rng.chance(0.04)) {
    const other = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !op.methodsOfPath.includes(m));
    if (other.length > 0) {
      method = rng.pick(other);
      wrongMethod = true;
    }
  }
  // A wrong method is refused (404) unless it is a GET, which is a read like any other.
  const command = method !== 'GET';
  let refusedBecause: string | null = wrongMethod ? `${method} is not an operation of ${op.path}` : null;
  const bodyRefusal = command && !refusedBecause && op.bodySchema !== null && rng.chance(0.75);
  let wrongParam: string | null = null;
  let keyRefusal = false;
  if (command && !refusedBecause && !bodyRefusal) {
    if (op.pathParams.length > 0 && rng.chance(0.5)) wrongParam = rng.pick(op.pathParams);
    else keyRefusal = true;
  }

  let path = op.path;
  for (const name of op.pathParams) {
    // Under a wrong method an empty segment could make the path another operation's (POST /profiles/ is create).
    const value = paramValue(name, rng, ctx, name === wrongParam);
    path = path.replace(`{${name}}`, wrongMethod && value === '' ? 'x' : value);
  }
  if (wrongParam) refusedBecause = `path parameter ${wrongParam} names nothing`;
  path += queryString(op, rng);

  const headers: Record<string, string> = { ...authorization(rng, ctx, !keyRefusal) };
  if (keyRefusal) refusedBecause = `key ${headers.authorization ? 'may not command' : 'missing'}`;
  if (rng.chance(0.1)) headers['x-request-id'] = headerText(rng.text(rng.chance(0.2) ? 300 : 30));
  if (rng.chance(0.05)) headers['last-event-id'] = headerText(rng.text(20));
  if (rng.chance(0.05))
    headers['accept'] = rng.pick(['text/event-stream', 'application/xml', '*/*;q=0', 'application/problem+json']);

  let body: Buffer | null = null;
  if (bodyRefusal) {
    const { why, text } = invalidBody(op.bodySchema!, rng);
    refusedBecause = why;
    headers['content-type'] = rng.pick(JSON_TYPES);
    body = Buffer.from(text, 'utf8');
    if (rng.chance(0.1)) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
  } else if (rng.chance(0.4)) {
    // Whatever the body, something else (key, path, method, or it is a GET) already refuses or ignores it.
    headers['content-type'] = rng.pick([...JSON_TYPES, ...OTHER_TYPES]);
    body = rng.pick([
      () => Buffer.from(JSON.stringify(op.bodySchema ? plausible(op.bodySchema, rng) : junkValue(rng))),
      () => Buffer.from(rng.text(200)),
      () => Buffer.from('x'.repeat(1_200_000)),
      () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]),
      () => Buffer.alloc(0),
    ])();
    if (rng.chance(0.1))
      headers['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip']);
  }
  if (body && rng.chance(0.02) && body.length < 1_000_000) body = Buffer.concat([body, Buffer.alloc(1_100_000, 0x20)]);
  return { method, path, headers, body, refusedBecause: command ? refusedBecause : null };
}

/** What a failure report shows of a request. */
export function describe(request: FuzzRequest): string {
  const body = request.body
    ? `${request.body.length} bytes: ${JSON.stringify(request.body.subarray(0, 300).toString('utf8'))}`
    : 'none';
  return `${request.method} ${request.path.slice(0, 500)}${request.path.length > 500 ? `… (${request.path.length} chars)` : ''}\n  headers: ${JSON.stringify(request.headers).slice(0, 500)}\n  body: ${body}\n  must be refused because: ${request.refusedBecause ?? '(a read)'}`;
}
