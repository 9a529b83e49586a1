/** The API as the console calls it: bearer token from the session, problem+json errors as values. */

export const API_BASE = '/api/v1';

export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly { field: string; problem: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

/**
 * The server has no such route (a view whose endpoint this server version lacks): a generic
 * 404, as opposed to a missing resource, whose problem type names what is missing.
 */
export class NotAvailable extends Error {
  constructor(readonly path: string) {
    super(`${path} is not available on this server yet`);
  }
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  readonly [extra: string]: unknown;
}

export interface Api {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** Every page of a list, 1000 at a time. */
  all<T>(path: string, signal?: AbortSignal): Promise<T[]>;
  raw(path: string, init?: RequestInit): Promise<Response>;
}

export function createApi(token: string, onUnauthorized: () => void): Api {
  const raw = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    return fetch(`${API_BASE}${path}`, { ...init, headers, cache: 'no-store' });
  };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    // Asked for JSON: a route that would redirect a browser (the delegated sign-in) answers its address instead.
    const headers = new Headers(init.headers);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    const response = await raw(path, { ...init, headers });
    if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
    throw await errorOf(path, response, onUnauthorized);
  };
  const all = async <T>(path: string, signal?: AbortSignal): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const query = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Page<T> = await call<Page<T>>(`${path}${separator}${query}`, { signal });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  return {
    get: (path, signal) => call(path, { signal }),
    post: (path, body) => call(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) }),
    patch: (path, body) => call(path, { method: 'PATCH', body: JSON.stringify(body) }),
    all,
    raw,
  };
}

export async function errorOf(path: string, response: Response, onUnauthorized: () => void): Promise<Error> {
  let problem: Problem = { status: response.status, title: response.statusText };
  try {
    problem = { ...problem, ...((await response.json()) as Problem) };
  } catch {
    // Not a problem+json body (a proxy's page): the status says enough.
  }
  if (response.status === 401) onUnauthorized();
  if (response.status === 404 && (!problem.type || problem.type.endsWith(':not-found'))) return new NotAvailable(path);
  return new ApiError(problem);
}

/** Without a key: who am I, to check a key at sign-in before keeping it. */
export async function whoami(token: string): Promise<{ role: Role; keyId: string }> {
  const response = await fetch(`${API_BASE}/whoami`, {
    headers: { Authorization: `Bearer ${token}` },
    cache: 'no-store',
  });
  if (!response.ok) throw await errorOf('/whoami', response, () => undefined);
  return response.json();
}

export type Role = 'admin' | 'auditor' | 'consumer';

/** A one-time sign-in link's code for a short-lived session token (people; API keys stay for scripts). */
export const redeemSignInLink = (code: string) =>
  postAnonymous<{ token: string; role: Role }>('/sessions', { signInLink: code });

/** A post without a key, for the sign-in steps (which are how a browser gets a token). */
async function postAnonymous<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${API_BASE}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    cache: 'no-store',
  });
  if (!response.ok) throw await errorOf(path, response, () => undefined);
  return response.json();
}

/** Whether "Sign in with Microsoft" is configured on this server (older servers: no). */
export async function signInOptions(): Promise<{ microsoft: boolean }> {
  try {
    const response = await fetch(`${API_BASE}/sessions/options`, { cache: 'no-store' });
    return response.ok ? await response.json() : { microsoft: false };
  } catch {
    return { microsoft: false };
  }
}

export const startMicrosoftSignIn = () => postAnonymous<{ authorizeUrl: string }>('/sessions/microsoft', {});

export const finishMicrosoftSignIn = (code: string, state: string) =>
  postAnonymous<{ token: string; role: Role }>('/sessions/microsoft/code', { code, state });

/** Ends a session on the server too (an API key has nothing to end). */
export function endSession(token: string): void {
  if (!token.startsWith('llsession_')) return;
  void fetch(`${API_BASE}/sessions/current`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }).catch(
    () => undefined,
  );
}

export const profilePath = (profileId: string, rest = ''): string =>
  `/profiles/${encodeURIComponent(profileId)}${rest}`;
