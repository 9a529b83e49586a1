import type { NextFunction, Request, Response } from 'express';
import { newId } from '../shared/ids';
import type { Logger } from '../logging/logger';
import { requestContext } from '../logging/request-context';

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), returns it in
 * the response, carries it to every log line, and logs one line per finished request.
 * The query string is not logged: it can carry an OAuth code.
 */
export function requestIdMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const offered = req.header('x-request-id');
    const requestId = offered && CLIENT_ID.test(offered) ? offered : newId();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    requestContext.run({ requestId }, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info('request', {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        });
      });
      next();
    });
  };
}
