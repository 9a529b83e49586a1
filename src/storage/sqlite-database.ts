import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { ensurePrivateFile, preparePrivateDirectory, tighten } from './file-modes';

export type SqliteDatabase = Database.Database;

/**
 * Opens the embedded SQLite file: WAL so readers never block the writer, a busy timeout
 * so two service instances on one file wait for each other instead of failing, and
 * synchronous=FULL because the event log is compliance evidence. The file holds the event
 * log, the read models and the encrypted credentials: its directory is 0700 and the file
 * 0600 before SQLite opens it (SQLite gives the -wal and -shm files the database file's
 * mode), and files left by older versions are made 0600 at start.
 */
export function openSqliteDatabase(path: string, warn: (message: string) => void = () => {}): SqliteDatabase {
  if (path !== ':memory:') {
    const { warning } = preparePrivateDirectory(dirname(path));
    if (warning) warn(warning);
    const file = ensurePrivateFile(path);
    if (file) warn(file);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  if (path !== ':memory:')
    for (const suffix of ['-wal', '-shm', '-journal']) {
      const problem = tighten(`${path}${suffix}`);
      if (problem) warn(problem);
    }
  return db;
}
