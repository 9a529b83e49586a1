import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConcurrencyError, IdempotencyError, StoreUnavailableError } from '../eventstore/errors';
import type { Logger } from '../logging/logger';
import { requestContext } from '../logging/request-context';
import { DomainError, type ErrorKind } from '../shared/domain-error';
import { PROBLEM_CONTENT_TYPE, problem, type Problem } from './problem';
import { ValidationProblem } from './validation';
import { BodyError, MAX_BODY_DEPTH, MAX_BODY_VALUES } from './json-body';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  upstream: 502,
};

const RETRY_AFTER_SECONDS = 5;

/** body-parser's error types: all of them are the client's doing. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'malformed-json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'body-too-large', 'the request body is larger than the limit'],
  'encoding.unsupported': [415, 'unsupported-encoding', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported-charset', 'the request body charset is not supported'],
  'request.aborted': [400, 'request-aborted', 'the request was aborted'],
  'request.size.invalid': [400, 'request-size-invalid', 'the request body length does not match Content-Length'],
  'stream.encoding.set': [400, 'invalid-body', 'the request body could not be read'],
  'stream.not.readable': [400, 'invalid-body', 'the request body could not be read'],
  'parameters.too.many': [413, 'too-many-parameters', 'too many parameters'],
  'entity.too.deep': [400, 'body-too-deep', `the request body is nested deeper than ${MAX_BODY_DEPTH} levels`],
  'entity.too.many.values': [413, 'body-too-complex', `the request body holds more than ${MAX_BODY_VALUES} values`],
};

/** Every error leaves as application/problem+json; no stack trace or secret ever does. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = this.toProblem(error, request);
    if (response.headersSent) {
      response.end();
      return;
    }
    const requestId = requestContext.getStore()?.requestId;
    // A refusal that says when to ask again; otherwise the store or a dependency is down for now
    // (the adapter has already retried with backoff).
    if (error instanceof DomainError && error.retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    else if (body.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response
      .status(body.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...body, ...(requestId ? { requestId } : {}) }));
  }

  private toProblem(error: unknown, request: Request): Problem {
    if (error instanceof ValidationProblem) return problem(400, 'invalid-request', error.message, error.errors);
    if (error instanceof DomainError) return problem(STATUS[error.kind], error.code, error.message, error.errors);
    if (error instanceof ConcurrencyError) {
      return problem(
        409,
        'concurrent-change',
        'the resource was changed by another request at the same time; retry with the current state',
      );
    }
    if (error instanceof IdempotencyError) return problem(409, 'conflicting-retry', error.message);
    if (error instanceof StoreUnavailableError) {
      this.logger.warn('event store unavailable', { error, path: request.path });
      return problem(
        503,
        'store-unavailable',
        'the event store cannot be used right now; nothing was changed; retry later',
      );
    }
    if (error instanceof BodyError) {
      const [status, code, detail] = BODY_ERRORS[error.type] ?? [
        400,
        'invalid-body',
        'the request body could not be read',
      ];
      return problem(status, code, detail);
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status >= 500) this.logger.error('request failed', { error, path: request.path });
      return problem(status, httpCode(status), messageOf(error));
    }
    this.logger.error('unexpected error', { error, path: request.path });
    return problem(500, 'internal', 'an unexpected error occurred; it has been logged with this request id');
  }
}

function httpCode(status: number): string {
  return (
    {
      401: 'unauthenticated',
      403: 'forbidden',
      404: 'not-found',
      405: 'method-not-allowed',
      413: 'body-too-large',
      429: 'too-many-requests',
    }[status] ?? `http-${status}`
  );
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
