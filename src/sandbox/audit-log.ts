import { sortedOrder, type AuditColumnsBuilder, type AuditRowColumns } from './audit-columns';
import { derivedUuid, hash32 } from './random';

export { AuditColumnsBuilder, type AuditRowColumns } from './audit-columns';

/**
 * The Dataverse audit table, stored column-wise in typed arrays sorted by (createdon, seq) so a
 * createdon range is two binary searches and paging resumes from a key, not an offset.
 * Row ids are derived from (seed, seq) instead of stored: 100,000 users make ~400,000 rows.
 */
const AUDIT_ID_SALT = 7;
const OBJECT_ID_SALT = 11;

/** Dataverse keys are sequential GUIDs: a fixed head per environment and a counter at the end. */
function guidHead(seed: number, salt: number): string {
  return derivedUuid(seed, salt, 0).slice(0, 28);
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

interface Columns {
  createdOn: Float64Array;
  seqs: Uint32Array;
  users: Uint32Array;
  actions: Uint8Array;
  operations: Uint8Array;
  tables: Uint8Array;
  /** 0 = not impersonated, else the calling user's index + 1. */
  calling: Uint32Array;
}

function emptyColumns(n: number): Columns {
  return {
    createdOn: new Float64Array(n),
    seqs: new Uint32Array(n),
    users: new Uint32Array(n),
    actions: new Uint8Array(n),
    operations: new Uint8Array(n),
    tables: new Uint8Array(n),
    calling: new Uint32Array(n),
  };
}

function copyRow(from: Columns, i: number, to: Columns, k: number): void {
  to.createdOn[k] = from.createdOn[i]!;
  to.seqs[k] = from.seqs[i]!;
  to.users[k] = from.users[i]!;
  to.actions[k] = from.actions[i]!;
  to.operations[k] = from.operations[i]!;
  to.tables[k] = from.tables[i]!;
  to.calling[k] = from.calling[i]!;
}

export class AuditLog {
  private c: Columns = emptyColumns(0);
  private size = 0;
  private nextSeq = 0;
  private readonly tableNames: string[] = [];
  private readonly tableIndex = new Map<string, number>();
  private readonly objectIds = new Map<number, string>();

  private readonly auditHead: string;
  private readonly objectHead: string;

  constructor(seed: number) {
    this.auditHead = guidHead(seed, AUDIT_ID_SALT);
    this.objectHead = guidHead(seed, OBJECT_ID_SALT);
  }

  get length(): number {
    return this.size;
  }

  createdOnAt(i: number): number {
    return this.c.createdOn[i]!;
  }
  seqAt(i: number): number {
    return this.c.seqs[i]!;
  }
  userAt(i: number): number {
    return this.c.users[i]!;
  }
  actionAt(i: number): number {
    return this.c.actions[i]!;
  }
  operationAt(i: number): number {
    return this.c.operations[i]!;
  }
  tableAt(i: number): string {
    return this.tableNames[this.c.tables[i]!]!;
  }
  /** The impersonating caller's systemuser index, or null for a row the user made themself. */
  callingUserAt(i: number): number | null {
    const calling = this.c.calling[i]!;
    return calling === 0 ? null : calling - 1;
  }
  auditIdAt(i: number): string {
    return this.auditHead + hex8(this.c.seqs[i]!);
  }
  /**
   * The audited record's id: explicit when the row was added with one, else derived; null for an
   * access row (operation 4) without one, whose record is the acting systemuser itself.
   */
  objectIdAt(i: number): string | null {
    const seq = this.c.seqs[i]!;
    const explicit = this.objectIds.get(seq);
    if (explicit) return explicit;
    // hash32 with the other inputs fixed is a bijection of seq, so record ids stay unique yet look unrelated.
    return this.c.operations[i] === 4 ? null : this.objectHead + hex8(hash32(seq, 0, 0, 0));
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

  /** Replaces the content with the generator's rows (in any order), sorted once by createdon. */
  load(columns: AuditColumnsBuilder): void {
    const n = columns.length;
    const order = sortedOrder(columns.createdOnMs, n);
    const next = emptyColumns(n);
    this.tableNames.length = 0;
    this.tableIndex.clear();
    const remap = columns.tableNames.map((name) => this.indexOfTable(name));
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next.createdOn[k] = columns.createdOnMs[i]!;
      next.seqs[k] = k;
      next.users[k] = columns.userIndex[i]!;
      next.actions[k] = columns.action[i]!;
      next.operations[k] = columns.operation[i]!;
      next.tables[k] = remap[columns.table[i]!]!;
      next.calling[k] = columns.calling[i]!;
    }
    this.c = next;
    this.size = n;
    this.nextSeq = n;
    this.objectIds.clear();
  }

  /** Adds rows; each gets the next seq, so rows at an existing instant sort after the old ones. */
  append(rows: readonly AuditRowColumns[]): void {
    if (rows.length === 0) return;
    const order = sortedOrder(
      rows.map((row) => row.createdOnMs),
      rows.length,
    );
    const incoming = Array.from(order, (i) => rows[i]!);
    const total = this.size + incoming.length;
    const next = emptyColumns(total);
    let i = 0;
    let j = 0;
    for (let k = 0; k < total; k++) {
      // Incoming seqs are all larger than existing ones, so ties go to the existing row.
      const takeOld = i < this.size && (j >= incoming.length || this.c.createdOn[i]! <= incoming[j]!.createdOnMs);
      if (takeOld) {
        copyRow(this.c, i++, next, k);
      } else {
        const row = incoming[j++]!;
        const seq = this.nextSeq++;
        next.createdOn[k] = row.createdOnMs;
        next.seqs[k] = seq;
        next.users[k] = row.userIndex;
        next.actions[k] = row.action;
        next.operations[k] = row.operation;
        next.tables[k] = this.indexOfTable(row.table);
        next.calling[k] = row.callingUserIndex === undefined ? 0 : row.callingUserIndex + 1;
        if (row.objectId) this.objectIds.set(seq, row.objectId);
      }
    }
    this.c = next;
    this.size = total;
  }

  /**
   * Deletes the rows `doomed` picks, as Dataverse's audit-log deletion and switched-off auditing
   * leave them: gone, with the survivors keeping their ids. Returns how many were removed.
   */
  removeWhere(doomed: (i: number) => boolean): number {
    const keep: number[] = [];
    for (let i = 0; i < this.size; i++) if (!doomed(i)) keep.push(i);
    const removed = this.size - keep.length;
    if (removed === 0) return 0;
    const next = emptyColumns(keep.length);
    keep.forEach((i, k) => copyRow(this.c, i, next, k));
    this.c = next;
    this.size = keep.length;
    return removed;
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
      if (isBefore(this.c.createdOn[mid]!, this.c.seqs[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
