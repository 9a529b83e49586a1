import type { NextFunction, Request, Response } from 'express';
import type { ApiKeys } from './api-keys';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

/** SAM_DOCS=key: the OpenAPI UI and document only for a caller with a valid API key (any role). */
export function docsAccess(keys: ApiKeys) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (keys.match(req.headers.authorization)) return next();
    res
      .status(401)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem(401, 'unauthenticated', 'the API documentation needs an API key (SAM_DOCS=key)')));
  };
}
