import type { NextFunction, Request, Response } from 'express';
import { AsyncResource } from 'node:async_hooks';
import { StringDecoder } from 'node:string_decoder';
import { JsonShapeScanner, MAX_BODY_DEPTH, MAX_BODY_VALUES } from './json-shape';

export { MAX_BODY_DEPTH, MAX_BODY_VALUES };

/**
 * What a request without a valid API key may send (API.md "Webhooks and limits": the keep
 * link's route). Its largest legitimate body (a reason and a name) is about 1.5 KiB.
 */
export const UNAUTHENTICATED_BODY_LIMIT = 4096;

/** A body the service refuses to read, carried past Nest (which would make it a bare 400) to our filter. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly type: BodyErrorType,
    message: string,
  ) {
    super(message);
  }
}

export type BodyErrorType =
  | 'entity.parse.failed'
  | 'entity.too.large'
  | 'entity.too.deep'
  | 'entity.too.many.values'
  | 'encoding.unsupported'
  | 'charset.unsupported'
  | 'request.aborted'
  | 'request.size.invalid'
  | 'parameters.too.many';

/** A request whose body was refused before the guard knew whether the route needs a key. */
export interface RequestWithDeferredBodyError extends Request {
  deferredBodyError?: BodyError;
}

export interface JsonBodyOptions {
  readonly limitBytes: number;
  /** Whether the request carries a valid API key (it then gets limitBytes, else the small limit). */
  readonly isAuthenticated: (req: Request) => boolean;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Strict JSON bodies (an object or an array), read by hand rather than by body-parser so
 * that a hostile body costs little whatever its shape: the size is checked against
 * Content-Length before a byte is read and on every chunk; nesting and the number of values
 * are measured chunk by chunk (JsonShapeScanner) and the body is refused at the first limit
 * crossed; JSON.parse only ever sees a body already known to be small in every dimension.
 * Requests without a valid key get UNAUTHENTICATED_BODY_LIMIT, and their body errors wait
 * for the guard: a route that needs a key answers 401 whatever the body, a public one the
 * body's 400 or 413.
 */
export function jsonBody(options: JsonBodyOptions) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    const authenticated = options.isAuthenticated(req);
    const limit = authenticated ? options.limitBytes : Math.min(options.limitBytes, UNAUTHENTICATED_BODY_LIMIT);
    // Every route takes JSON or nothing: another body is dropped (not parsed) before the route refuses it.
    if (!JSON_TYPE.test(mediaType(req))) return drainThen(req, limit, next);
    const refuse = (error: BodyError, unread = false) => {
      const answer = () => {
        if (authenticated) return next(error);
        (req as RequestWithDeferredBodyError).deferredBodyError = error;
        next();
      };
      if (unread) drainThen(req, limit, answer);
      else answer();
    };

    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity')
      return refuse(new BodyError('encoding.unsupported', `content encoding "${encoding}" is not supported`), true);
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8')
      return refuse(new BodyError('charset.unsupported', `charset "${charset}" is not supported`), true);
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && declared > limit)
      return refuse(new BodyError('entity.too.large', `the body is larger than ${limit} bytes`), true);

    // Stream events arrive outside the request's async context (its request id): carry it over.
    readBody(
      req,
      limit,
      declared,
      AsyncResource.bind((error: BodyError | null, text?: string) => {
        if (error) return refuse(error);
        try {
          req.body = parseStrict(text!);
        } catch {
          return refuse(new BodyError('entity.parse.failed', 'the body is not valid JSON'));
        }
        next();
      }),
    );
  };
}

function readBody(
  req: Request,
  limit: number,
  declared: number | null,
  done: (error: BodyError | null, text?: string) => void,
): void {
  const decoder = new StringDecoder('utf8');
  const scanner = new JsonShapeScanner();
  const parts: string[] = [];
  let received = 0;
  let finished = false;
  const finish = (error: BodyError | null, text?: string) => {
    if (finished) return;
    finished = true;
    req.off('data', onData).off('end', onEnd).off('aborted', onAborted).off('error', onError);
    if (error) drainThen(req, limit, () => done(error));
    else done(error, text);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) return finish(new BodyError('entity.too.large', `the body is larger than ${limit} bytes`));
    const text = decoder.write(chunk);
    const problem = scanner.feed(text);
    if (problem === 'too-deep')
      return finish(new BodyError('entity.too.deep', `the body is nested deeper than ${MAX_BODY_DEPTH} levels`));
    if (problem === 'too-many-values')
      return finish(new BodyError('entity.too.many.values', `the body holds more than ${MAX_BODY_VALUES} values`));
    parts.push(text);
  };
  const onEnd = () => {
    if (declared !== null && received !== declared)
      return finish(new BodyError('request.size.invalid', 'the body length does not match Content-Length'));
    finish(null, parts.join('') + decoder.end());
  };
  const onAborted = () => finish(new BodyError('request.aborted', 'the request was aborted'));
  const onError = () => finish(new BodyError('request.aborted', 'the request body could not be read'));
  req.on('data', onData).on('end', onEnd).on('aborted', onAborted).on('error', onError);
}

/**
 * Reads and drops what is left of a refused body, and only then lets the refusal be answered:
 * a client that asked for `Connection: close` (Node's http client without keep-alive does)
 * gets its connection closed right after the answer, and closing with its bytes still unread
 * makes the kernel send a reset, so a client still uploading would see EPIPE instead of the
 * 413 (the fuzz test's "write EPIPE" under load). Dropping costs no parsing; past a generous
 * cap the connection is cut with no answer, and a client that goes quiet (DRAIN_IDLE_MS) or
 * takes too long (DRAIN_MAX_MS) is answered anyway while the rest is still dropped.
 */
function drainThen(req: Request, limit: number, next: () => void): void {
  if (req.complete) return next();
  // Stream events and timers run outside the request's async context (its request id): carry it over.
  const then = AsyncResource.bind(next);
  const cap = Math.max(16 * limit, DISCARD_CAP);
  let dropped = 0;
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    clearTimeout(idle);
    clearTimeout(longest);
    then();
  };
  const idle = setTimeout(answer, DRAIN_IDLE_MS);
  const longest = setTimeout(answer, DRAIN_MAX_MS);
  idle.unref();
  longest.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > cap) {
      answered = true;
      clearTimeout(idle);
      clearTimeout(longest);
      req.socket.destroy();
    } else if (!answered) idle.refresh();
  });
  req.once('end', answer);
  req.once('close', answer);
  req.resume();
}

const DRAIN_IDLE_MS = 2_000;
const DRAIN_MAX_MS = 30_000;
const DISCARD_CAP = 16 * 1_048_576;

/** Like body-parser's strict mode: an empty body is {}, anything but an object or array is refused. */
function parseStrict(text: string): unknown {
  const trimmed = text.replace(/^[\s\uFEFF]+/, '');
  if (trimmed === '') return {};
  if (trimmed[0] !== '{' && trimmed[0] !== '[') throw new Error('not an object or array');
  return JSON.parse(trimmed);
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim();
}
