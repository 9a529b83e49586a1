import type { FieldProblem } from '../shared/domain-error';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
  readonly requestId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (code: string): string => `urn:license-ledger:problem:${code}`;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Field problems beyond this many are left out: an error answer stays small whatever was sent. */
const MAX_ERRORS = 21;

export function problem(status: number, code: string, detail: string, errors?: readonly FieldProblem[]): Problem {
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail: detail.length > 2000 ? `${detail.slice(0, 2000)}…` : detail,
    ...(errors && errors.length > 0 ? { errors: errors.slice(0, MAX_ERRORS) } : {}),
  };
}
