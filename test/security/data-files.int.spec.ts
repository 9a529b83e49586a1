import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../support/test-app';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/**
 * The database holds the event log, read models and encrypted credentials; secret.key
 * decrypts them. Whatever the umask, they are the service user's alone.
 */
describe('data files are private, whatever the umask', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'll-files-'));
    umask = process.umask(0); // the worst case: files would be created 0666, directories 0777
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('a new data directory is 0700; the database, its WAL and shared memory, and secret.key are 0600', async () => {
    const dir = join(root, 'data');
    const t = await startTestApp({ dir });
    try {
      expect(mode(dir)).toBe('700');
      for (const file of ['sam.sqlite', 'sam.sqlite-wal', 'sam.sqlite-shm', 'secret.key']) {
        expect(existsSync(join(dir, file))).toBe(true);
        expect([file, mode(join(dir, file))]).toEqual([file, '600']);
      }
    } finally {
      await t.close();
    }
  });

  it('files and a directory left readable by an older version are made private at start', async () => {
    const dir = join(root, 'data');
    const first = await startTestApp({ dir });
    await first.close();
    chmodSync(dir, 0o755);
    for (const file of ['sam.sqlite', 'secret.key']) chmodSync(join(dir, file), 0o644);
    const again = await startTestApp({ dir });
    try {
      expect(mode(dir)).toBe('700');
      for (const file of ['sam.sqlite', 'sam.sqlite-wal', 'sam.sqlite-shm', 'secret.key'])
        expect([file, mode(join(dir, file))]).toEqual([file, '600']);
    } finally {
      await again.close();
    }
  });

  it('a shared directory (sticky, like /tmp) is left as it is, with a warning', async () => {
    const dir = join(root, 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    writeFileSync(join(dir, 'someone-else.txt'), 'x');
    const t = await startTestApp({ dir });
    try {
      expect(mode(dir)).toBe('777');
      expect(mode(join(dir, 'sam.sqlite'))).toBe('600');
      expect(t.logs.some((l) => l.includes('"level":"warn"') && l.includes('readable by others'))).toBe(true);
    } finally {
      await t.close();
    }
  });
});
