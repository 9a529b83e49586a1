import type { NextFunction, Request, Response } from 'express';
import { trace } from '@opentelemetry/api';
import type { Metrics } from './metrics';

/** Requests that matched no route (404s, refusals before routing) share one label: a path is unbounded. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Counts and times every answered request by its route template (`/api/v1/profiles/:id`),
 * never by its path, which holds profile and user ids. When tracing is on, the server span
 * is named after the template too.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const span = trace.getActiveSpan();
    res.once('finish', () => {
      const route = routeOf(req);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (span && route !== UNMATCHED_ROUTE) {
        span.setAttribute('http.route', route);
        span.updateName(`${req.method} ${route}`);
      }
    });
    next();
  };
}

function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}
