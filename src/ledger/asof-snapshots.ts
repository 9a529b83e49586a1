import type { SqliteDatabase } from '../storage/sqlite-database';
import { deserializeInSteps, serializeInSteps } from '../storage/chunked-serialization';

const MAX_SNAPSHOTS = 24;

/**
 * Folded as-of states kept in the local SQLite file, by version (format, projections and store)
 * and position, so that the next question about a past moment starts near it instead of at
 * position 0. Written and read in ~0.5 MB parts, one per turn (src/storage/chunked-serialization.ts), so that a
 * large tenant's snapshot never holds the event loop; a cache, so the single-blob table of
 * earlier versions is dropped, not converted.
 */
export class AsOfSnapshots {
  /** Positions whose snapshot this process is writing. */
  private readonly saving = new Set<string>();

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`DROP TABLE IF EXISTS ledger_snapshots;
      CREATE TABLE IF NOT EXISTS asof_snapshots (
        version TEXT NOT NULL, position TEXT NOT NULL, recorded_at TEXT NOT NULL, parts INTEGER NOT NULL,
        PRIMARY KEY (version, position));
      CREATE TABLE IF NOT EXISTS asof_snapshot_parts (
        version TEXT NOT NULL, position TEXT NOT NULL, seq INTEGER NOT NULL, part BLOB NOT NULL,
        PRIMARY KEY (version, position, seq));`);
  }

  async nearest(
    asOf: string,
    version: string,
  ): Promise<{ position: bigint; recordedAt: string; states: unknown[] } | null> {
    const row = this.nearestRow(asOf, version);
    if (!row) return null;
    const states = (await deserializeInSteps((seq) => this.part(version, row.position, seq))) as unknown[];
    return { position: BigInt(row.position), recordedAt: row.recordedAt, states };
  }

  /** The newest snapshot recorded at or before `asOf`, without its parts. */
  nearestRow(asOf: string, version: string): { position: string; recordedAt: string } | null {
    const row = this.db
      .prepare(
        'SELECT position, recorded_at FROM asof_snapshots WHERE version = ? AND recorded_at <= ? ORDER BY recorded_at DESC LIMIT 1',
      )
      .get(version, asOf) as { position: string; recorded_at: string } | undefined;
    return row ? { position: row.position, recordedAt: row.recorded_at } : null;
  }

  /** Part `seq` of the snapshot at `position` (throws when it is gone: thinned away meanwhile). */
  part(version: string, position: string, seq: number): Buffer {
    const found = this.db
      .prepare('SELECT part FROM asof_snapshot_parts WHERE version = ? AND position = ? AND seq = ?')
      .get(version, position, seq) as { part: Buffer } | undefined;
    if (!found) throw new Error(`as-of snapshot at ${position} lacks part ${seq}`);
    return found.part;
  }

  /** Parts first, one per turn, then the row that makes the snapshot visible (a crash leaves only parts, removed at the next save). */
  async save(position: bigint, recordedAt: string, states: unknown[], version: string): Promise<void> {
    const at = position.toString();
    if (!this.begin(version, at)) return;
    try {
      let seq = 0;
      const parts = await serializeInSteps(states, (part) => this.write(version, at, seq++, part));
      this.finish(version, at, recordedAt, parts);
    } finally {
      this.end(at);
    }
  }

  /**
   * `save` in steps, for a writer elsewhere (the as-of worker sends its parts): `begin` (false
   * when this position is being written already), then `write` each part in order, then
   * `finish` to make it visible, and `end` whatever happened.
   */
  begin(version: string, at: string): boolean {
    if (this.saving.has(at)) return false;
    this.saving.add(at);
    try {
      this.db.prepare('DELETE FROM asof_snapshot_parts WHERE version = ? AND position = ?').run(version, at);
    } catch (error) {
      this.saving.delete(at);
      throw error;
    }
    return true;
  }

  write(version: string, at: string, seq: number, part: Uint8Array): void {
    this.db
      .prepare('INSERT INTO asof_snapshot_parts (version, position, seq, part) VALUES (?, ?, ?, ?)')
      .run(version, at, seq, part);
  }

  finish(version: string, at: string, recordedAt: string, parts: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO asof_snapshots (version, position, recorded_at, parts) VALUES (?, ?, ?, ?)')
      .run(version, at, recordedAt, parts);
    this.thin(version);
  }

  end(at: string): void {
    this.saving.delete(at);
  }

  /** Snapshots of another format, older projections or another store go; past MAX_SNAPSHOTS, the second oldest. */
  private thin(version: string): void {
    const remove = (v: string, position: string) => {
      this.db.prepare('DELETE FROM asof_snapshots WHERE version = ? AND position = ?').run(v, position);
      this.db.prepare('DELETE FROM asof_snapshot_parts WHERE version = ? AND position = ?').run(v, position);
    };
    const stale = this.db.prepare('SELECT DISTINCT version, position FROM asof_snapshot_parts WHERE version <> ?');
    for (const r of stale.all(version) as { version: string; position: string }[]) remove(r.version, r.position);
    const kept = this.db
      .prepare('SELECT position FROM asof_snapshots WHERE version = ? ORDER BY recorded_at')
      .all(version) as { position: string }[];
    // Thin the middle, keep the newest and the oldest: questions tend to be about recent dates.
    for (let i = 1; kept.length - (i - 1) > MAX_SNAPSHOTS; i++) remove(version, kept[i]!.position);
  }
}
