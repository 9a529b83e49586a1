import { StoreUnavailableError } from '../eventstore/errors';

/** SQLite result codes that mean the file cannot be used now, not that the request was wrong. */
const UNAVAILABLE = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;

/**
 * A read-only or full database file (or one another process holds too long) is the
 * store being unavailable: the HTTP edge answers 503, not 500. Anything else is returned
 * unchanged. One classification for every table in the file: events, credentials, read models.
 */
export function asStoreUnavailable(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE.test(code))
    return new StoreUnavailableError(`${what} cannot be used: ${code}`, error);
  if (error instanceof TypeError && /database connection is not open/.test(error.message))
    return new StoreUnavailableError(`${what} is closed`, error);
  return error;
}
