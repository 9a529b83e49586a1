/**
 * Errors are part of the interface: deciders and services throw these typed codes, and
 * the HTTP edge maps each kind to one status once (src/http/problem.filter.ts).
 */
export type ErrorKind = 'invalid' | 'not-found' | 'conflict' | 'unavailable' | 'upstream';

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** Set when the same request may well succeed later: the edge sends it as Retry-After. */
  retryAfterSeconds?: number;
  constructor(
    readonly kind: ErrorKind,
    /** Stable, machine-readable code, e.g. `profile-not-validated`. */
    readonly code: string,
    message: string,
    readonly errors?: readonly FieldProblem[],
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError('not-found', `${what}-not-found`, `${what} ${id} does not exist`);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const invalid = (code: string, message: string, errors?: readonly FieldProblem[]) =>
  new DomainError('invalid', code, message, errors);
/** The same error, saying when to ask again. */
export const askAgainIn = <E extends DomainError>(error: E, seconds: number): E =>
  Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil(seconds)) });
