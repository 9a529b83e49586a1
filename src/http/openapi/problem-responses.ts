import type { Access } from '../access';

type Schema = Record<string, unknown>;

export const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description: 'RFC 9457 problem details; `type` is `urn:license-ledger:problem:<code>`',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:license-ledger:problem:invalid-request' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Field problems of an invalid request (at most 20, then a summary)',
      items: {
        type: 'object',
        required: ['field', 'problem'],
        properties: { field: { type: 'string' }, problem: { type: 'string' } },
      },
    },
    requestId: { type: 'string', description: 'The X-Request-Id of the request, as logged' },
  },
};

const WHY: Record<number, string> = {
  400: 'Invalid input (unknown fields, bad values, malformed JSON); nothing was changed',
  401: 'No valid API key or session (Authorization: Bearer <key>)',
  403: 'The key’s role may not do this',
  404: 'The profile or the resource named in the path does not exist',
  409: 'The current state forbids it, or another request changed the resource at the same moment; nothing was changed',
  413: 'The body or the query is too large or too complex (4 KiB without a key)',
  415: 'A content encoding or charset other than identity UTF-8 JSON',
  429: 'Too many wrong API keys from this address; see Retry-After',
  502: 'Microsoft refused or could not be reached',
  503: 'The event store cannot take writes, or the service is at a limit; see Retry-After where given',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before asking again', schema: { type: 'integer' } },
};

/** What the documentation knows about an operation, from its route and its declared access. */
export interface OperationFacts {
  readonly operationId: string;
  readonly method: string;
  readonly access: Access | 'admin-only';
  readonly hasBody: boolean;
  /** Parameters of every kind (path, query, header). */
  readonly parameters: number;
  readonly pathParameters: number;
  readonly queryParameters: readonly string[];
}

/**
 * Statuses an operation may answer with a problem that its route and access do not show.
 * (A public route that checks a token, a body that names something that may not exist, a
 * read that waits on Microsoft, a command that cannot conflict.)
 */
const ALSO: Record<string, readonly number[]> = {
  ReclamationsController_keep: [401],
  SessionsController_create: [401],
  SessionsController_finishMicrosoft: [403, 409, 502],
  SessionsController_startMicrosoft: [409, 502],
  ReclamationsController_reclaim: [404, 502],
  ConnectionsController_validate: [502],
  ConnectionsController_authorize: [409, 502],
};
const NEVER: Record<string, readonly number[]> = {
  // Sessions live in memory: nothing to conflict with, no store to refuse.
  SessionsController_create: [409, 503],
  SessionsController_finishMicrosoft: [503],
  SessionsController_close: [409, 503],
  SessionsController_startMicrosoft: [503],
};

/** The problem statuses of one operation. */
export function problemStatuses(op: OperationFacts): number[] {
  const statuses = new Set<number>([413, 429]); // every route: too many query parameters; wrong keys throttled
  const command = op.method !== 'get';
  if (op.hasBody || op.parameters > 0) statuses.add(400);
  if (op.access !== 'public') statuses.add(401);
  if (op.access !== 'public' && op.access !== 'events') statuses.add(403);
  if (op.pathParameters > 0) statuses.add(404);
  if (command) statuses.add(409).add(503);
  if (op.hasBody) statuses.add(415);
  // As-of questions are folded from the log, at most SAM_ASOF_MAX_CONCURRENT at once.
  if (op.queryParameters.includes('asOf')) statuses.add(503);
  if (op.operationId === 'EventsController_stream') statuses.add(503);
  for (const s of ALSO[op.operationId] ?? []) statuses.add(s);
  for (const s of NEVER[op.operationId] ?? []) statuses.delete(s);
  return [...statuses].sort((a, b) => a - b);
}

/** The response object for a problem status, referring to the shared Problem schema. */
export function problemResponse(status: number): Schema {
  return {
    description: WHY[status] ?? 'A problem',
    ...(status === 429 || status === 503 || status === 409 ? { headers: RETRY_AFTER } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}
