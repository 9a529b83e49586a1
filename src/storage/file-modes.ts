import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * The data directory (database, WAL, keys) is for the service's user only, whatever the
 * umask. A directory it creates is 0700. An existing one is tightened too, except where
 * that would hurt others: the working directory, the home directory, the root, a shared
 * sticky directory such as /tmp, or one the service's user does not own; those are left
 * as they are and reported, so an operator can move the data or fix the mode.
 */
export function preparePrivateDirectory(dir: string): { warning: string | null } {
  const path = resolve(dir);
  if (!existsSync(path)) {
    mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
    chmodSync(path, PRIVATE_DIR_MODE); // mkdir's mode is filtered through the umask
    return { warning: null };
  }
  const stat = statSync(path);
  if ((stat.mode & 0o077) === 0) return { warning: null };
  const shared =
    path === resolve(process.cwd()) ||
    path === resolve(homedir()) ||
    path === resolve('/') ||
    (stat.mode & 0o1000) !== 0 ||
    (typeof process.getuid === 'function' && stat.uid !== process.getuid());
  if (shared)
    return {
      warning: `${path} holds the database and keys but is readable by others (mode ${(stat.mode & 0o777).toString(8)}); give them a directory of their own (SAM_SQLITE_PATH) or chmod 700 it`,
    };
  chmodSync(path, PRIVATE_DIR_MODE);
  return { warning: null };
}

/** Creates the file owner-only if it is missing, and makes an existing one owner-only (or says why not). */
export function ensurePrivateFile(path: string): string | null {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  return tighten(path);
}

/** Makes a file owner-only if it exists (SQLite's -wal, -shm and -journal come and go), or says why not. */
export function tighten(path: string): string | null {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EPERM' || code === 'EACCES')
      return `${path} is readable by others and belongs to another user: chmod 600 it`;
    throw error;
  }
}
