import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';

/** A body-parser failure, carried past Nest (which would turn it into a bare 400) to our filter. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Far deeper than any body this API takes (today at most two levels). JSON.parse copes with
 * 20,000 levels, but the validation pipe walks bodies recursively and overflows the stack
 * on them: a 500 for a client's mistake.
 */
export const MAX_BODY_DEPTH = 32;

/** Strict JSON bodies (objects and arrays only) under a size limit and MAX_BODY_DEPTH levels. */
export function jsonBody(limitBytes: number) {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (!error)
        return nestedDeeperThan(req.body, MAX_BODY_DEPTH)
          ? next(new BodyError('entity.too.deep', `nested deeper than ${MAX_BODY_DEPTH} levels`))
          : next();
      const type = (error as { type?: unknown }).type;
      next(new BodyError(typeof type === 'string' ? type : 'entity.parse.failed', (error as Error).message));
    });
}

/** Iterative, so the check itself cannot overflow the stack. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
