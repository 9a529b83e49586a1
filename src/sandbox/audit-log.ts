import { derivedUuid } from './random';

/**
 * The Dataverse audit table, stored column-wise in typed arrays sorted by (createdon, seq) so a
 * createdon range is two binary searches and paging resumes from a key, not an offset.
 * Row ids are derived from (seed, seq) instead of stored: 100,000 users make ~500,000 rows.
 */
export interface AuditRowColumns {
  createdOnMs: number;
  userIndex: number;
  action: number;
  operation: number;
  table: string;
  objectId?: string;
}

const AUDIT_ID_SALT = 7;
const OBJECT_ID_SALT = 11;

export class AuditLog {
  private createdOn = new Float64Array(0);
  private seqs = new Uint32Array(0);
  private users = new Uint32Array(0);
  private actions = new Uint8Array(0);
  private operations = new Uint8Array(0);
  private tables = new Uint8Array(0);
  private size = 0;
  private nextSeq = 0;
  private readonly tableNames: string[] = [];
  private readonly tableIndex = new Map<string, number>();
  private readonly objectIds = new Map<number, string>();

  constructor(private readonly seed: number) {}

  get length(): number {
    return this.size;
  }

  createdOnAt(i: number): number {
    return this.createdOn[i]!;
  }
  seqAt(i: number): number {
    return this.seqs[i]!;
  }
  userAt(i: number): number {
    return this.users[i]!;
  }
  actionAt(i: number): number {
    return this.actions[i]!;
  }
  operationAt(i: number): number {
    return this.operations[i]!;
  }
  tableAt(i: number): string {
    return this.tableNames[this.tables[i]!]!;
  }
  auditIdAt(i: number): string {
    return derivedUuid(this.seed, AUDIT_ID_SALT, this.seqs[i]!);
  }
  /**
   * The audited record's id: explicit when the row was added with one, else derived; null for an
   * access row (operation 4) without one, whose record is the acting systemuser itself.
   */
  objectIdAt(i: number): string | null {
    const seq = this.seqs[i]!;
    const explicit = this.objectIds.get(seq);
    if (explicit) return explicit;
    return this.operations[i] === 4 ? null : derivedUuid(this.seed, OBJECT_ID_SALT, seq);
  }

  /** First position whose createdon is >= ms. */
  lowerBound(ms: number): number {
    return this.search((c) => c < ms);
  }

  /** First position whose createdon is > ms. */
  upperBound(ms: number): number {
    return this.search((c) => c <= ms);
  }

  /** First position whose (createdon, seq) is > the given key. */
  positionAfter(ms: number, seq: number): number {
    return this.search((c, s) => c < ms || (c === ms && s <= seq));
  }

  /** First position whose (createdon, seq) is >= the given key. */
  positionAtOrAfter(ms: number, seq: number): number {
    return this.search((c, s) => c < ms || (c === ms && s < seq));
  }

  /** Replaces the content with rows in any order (the generator's bulk load). */
  load(rows: readonly AuditRowColumns[]): void {
    this.size = 0;
    this.nextSeq = 0;
    this.objectIds.clear();
    this.append(rows);
  }

  /** Adds rows; each gets the next seq, so rows at an existing instant sort after the old ones. */
  append(rows: readonly AuditRowColumns[]): void {
    if (rows.length === 0) return;
    const incoming = sortByCreatedOn(rows);
    const total = this.size + incoming.length;
    const createdOn = new Float64Array(total);
    const seqs = new Uint32Array(total);
    const users = new Uint32Array(total);
    const actions = new Uint8Array(total);
    const operations = new Uint8Array(total);
    const tables = new Uint8Array(total);
    let i = 0;
    let j = 0;
    for (let k = 0; k < total; k++) {
      // Incoming seqs are all larger than existing ones, so ties go to the existing row.
      const takeOld = i < this.size && (j >= incoming.length || this.createdOn[i]! <= incoming[j]!.createdOnMs);
      if (takeOld) {
        createdOn[k] = this.createdOn[i]!;
        seqs[k] = this.seqs[i]!;
        users[k] = this.users[i]!;
        actions[k] = this.actions[i]!;
        operations[k] = this.operations[i]!;
        tables[k] = this.tables[i]!;
        i++;
      } else {
        const row = incoming[j++]!;
        const seq = this.nextSeq++;
        createdOn[k] = row.createdOnMs;
        seqs[k] = seq;
        users[k] = row.userIndex;
        actions[k] = row.action;
        operations[k] = row.operation;
        tables[k] = this.indexOfTable(row.table);
        if (row.objectId) this.objectIds.set(seq, row.objectId);
      }
    }
    this.createdOn = createdOn;
    this.seqs = seqs;
    this.users = users;
    this.actions = actions;
    this.operations = operations;
    this.tables = tables;
    this.size = total;
  }

  private indexOfTable(name: string): number {
    let index = this.tableIndex.get(name);
    if (index === undefined) {
      if (this.tableNames.length >= 256) throw new Error('The sandbox audit log holds at most 256 distinct tables');
      index = this.tableNames.length;
      this.tableNames.push(name);
      this.tableIndex.set(name, index);
    }
    return index;
  }

  /** Binary search for the first position where `isBefore` turns false. */
  private search(isBefore: (createdOn: number, seq: number) => boolean): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isBefore(this.createdOn[mid]!, this.seqs[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Stable sort by createdon; numeric keys on a Float64Array keep 500,000 rows well under a second. */
function sortByCreatedOn(rows: readonly AuditRowColumns[]): readonly AuditRowColumns[] {
  if (rows.length < 2) return rows;
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    if (row.createdOnMs < min) min = row.createdOnMs;
    if (row.createdOnMs > max) max = row.createdOnMs;
  }
  const spanSeconds = Math.ceil((max - min) / 1000) + 1;
  const wholeSeconds = rows.every((row) => row.createdOnMs % 1000 === 0);
  if (wholeSeconds && rows.length < 2 ** 26 && spanSeconds < 2 ** 26) {
    const keys = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) keys[i] = ((rows[i]!.createdOnMs - min) / 1000) * 2 ** 26 + i;
    keys.sort();
    const sorted = new Array<AuditRowColumns>(rows.length);
    for (let i = 0; i < rows.length; i++) sorted[i] = rows[keys[i]! % 2 ** 26]!;
    return sorted;
  }
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.createdOnMs - b.row.createdOnMs || a.i - b.i)
    .map(({ row }) => row);
}
