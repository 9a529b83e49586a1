import type { Reply } from './reply';

/** Route families, as fault rules name them: Entra (all of the authority host), Graph, Dataverse, discovery. */
export type RouteFamily = 'token' | 'graph' | 'dataverse' | 'discovery';

export interface RouteMatch {
  /** `METHOD /path/{template}`: the request-counter key, e.g. `POST /graph/v1.0/users/{id}/assignLicense`. */
  readonly key: string;
  readonly handle: () => Reply | Promise<Reply>;
}

export function route(method: string, template: string, handle: () => Reply | Promise<Reply>): RouteMatch {
  return { key: `${method} ${template}`, handle };
}

/** Splits a path into decoded segments; `undefined` when a segment is not valid percent-encoding. */
export function pathSegments(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}
