import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';

/** A body-parser failure, carried past Nest (which would turn it into a bare 400) to our filter. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/** Strict JSON bodies (objects and arrays only) under a size limit. */
export function jsonBody(limitBytes: number) {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: unknown }).type;
      next(new BodyError(typeof type === 'string' ? type : 'entity.parse.failed', (error as Error).message));
    });
}
