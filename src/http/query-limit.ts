import type { NextFunction, Request, Response } from 'express';
import { BodyError } from './json-body';

/**
 * Far more query parameters than any operation takes (at most six). The validation pipe
 * spends tens of microseconds on each unknown one, and a public route validates before it
 * knows who is asking: refuse a long list before anything parses it.
 */
export const MAX_QUERY_PARAMETERS = 32;

export function queryLimit() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const at = req.url.indexOf('?');
    if (at < 0) return next();
    let count = 1;
    for (let i = at + 1; i < req.url.length; i++) if (req.url.charCodeAt(i) === 0x26) count++;
    if (count > MAX_QUERY_PARAMETERS)
      return next(new BodyError('parameters.too.many', `more than ${MAX_QUERY_PARAMETERS} query parameters`));
    next();
  };
}
