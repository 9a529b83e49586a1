import { StoreUnavailableError } from '../eventstore/errors';
import { DomainError, type ErrorKind, type FieldProblem } from '../shared/domain-error';
import type { LedgerQuestion } from './ledger-answers';

/**
 * Where the as-of worker reads the log, and reads and writes snapshots: through a connection of
 * its own to the service's SQLite file, or through the service's thread (the log on
 * EventStoreDB; anything in an in-memory database).
 */
export type AsOfSource = { readonly kind: 'sqlite-file'; readonly path: string } | { readonly kind: 'relay' };

export interface AsOfSources {
  readonly events: AsOfSource;
  readonly snapshots: AsOfSource;
}

export interface AsOfWorkerData extends AsOfSources {
  /** Folded states kept in the worker (least recently used first out). */
  readonly maxCachedStates: number;
}

/** What the service's side (the main thread) does for the worker: read the log (relay) and the snapshot tables. */
export type MainMethod = 'readAll' | 'nearestRow' | 'part' | 'begin' | 'write' | 'finish' | 'end';

/** The service's thread to the worker. */
export type ToWorker =
  | {
      readonly type: 'ask';
      readonly id: number;
      readonly asOf: string;
      readonly head: bigint | null;
      readonly version: string;
      readonly profileId: string;
      readonly question: LedgerQuestion;
    }
  | {
      readonly type: 'series';
      readonly id: number;
      readonly moments: readonly string[];
      readonly version: string;
      readonly profileId: string;
    }
  /** The next part of a long answer: asked once the last one is taken in, so the service's loop takes one part per turn. */
  | { readonly type: 'more'; readonly id: number }
  | { readonly type: 'return'; readonly id: number; readonly value: unknown }
  | { readonly type: 'throw'; readonly id: number; readonly error: SentError };

/** The worker to the service's thread. */
export type FromWorker =
  | {
      readonly type: 'answer';
      readonly id: number;
      readonly position: bigint | null;
      readonly value: unknown;
      readonly more: boolean;
    }
  | { readonly type: 'chunk'; readonly id: number; readonly value: unknown[]; readonly more: boolean }
  | { readonly type: 'failed'; readonly id: number; readonly error: SentError }
  | { readonly type: 'call'; readonly id: number; readonly method: MainMethod; readonly args: unknown[] };

/** An error as it crosses between threads: enough to rebuild the kinds the HTTP edge tells apart. */
export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly kind?: ErrorKind;
  readonly code?: string;
  readonly errors?: readonly FieldProblem[];
  readonly retryAfterSeconds?: number;
}

export function sendable(error: unknown): SentError {
  if (error instanceof DomainError)
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      kind: error.kind,
      code: error.code,
      errors: error.errors,
      retryAfterSeconds: error.retryAfterSeconds,
    };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: typeof code === 'string' ? code : undefined,
    };
  }
  return { name: 'Error', message: String(error) };
}

/**
 * The error again on this side: a DomainError or StoreUnavailableError as itself (so the HTTP
 * edge answers the same problem as when the fold ran in the service), anything else a plain
 * Error with the same name and message (a 500, as before).
 */
export function rebuilt(sent: SentError): Error {
  let error: Error;
  if (sent.name === 'DomainError' && sent.kind && sent.code) {
    const domain = new DomainError(sent.kind, sent.code, sent.message, sent.errors);
    if (sent.retryAfterSeconds !== undefined) domain.retryAfterSeconds = sent.retryAfterSeconds;
    error = domain;
  } else if (sent.name === 'StoreUnavailableError') error = new StoreUnavailableError(sent.message);
  else {
    error = new Error(sent.message);
    if (sent.name !== 'Error') Object.defineProperty(error, 'name', { value: sent.name });
    if (sent.code) Object.assign(error, { code: sent.code });
  }
  // The stack where it was thrown (in the worker, for a fold), not where it was rebuilt.
  if (sent.stack) error.stack = sent.stack;
  return error;
}
