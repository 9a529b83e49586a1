import { derivedUuid, hash32 } from './random';

/**
 * The Dataverse audit table, stored column-wise in typed arrays sorted by (createdon, seq) so a
 * createdon range is two binary searches and paging resumes from a key, not an offset.
 * Row ids are derived from (seed, seq) instead of stored: 100,000 users make ~400,000 rows.
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

/** Dataverse keys are sequential GUIDs: a fixed head per environment and a counter at the end. */
function guidHead(seed: number, salt: number): string {
  return derivedUuid(seed, salt, 0).slice(0, 28);
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

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
    return this.auditHead + hex8(this.seqs[i]!);
  }
  /**
   * The audited record's id: explicit when the row was added with one, else derived; null for an
   * access row (operation 4) without one, whose record is the acting systemuser itself.
   */
  objectIdAt(i: number): string | null {
    const seq = this.seqs[i]!;
    const explicit = this.objectIds.get(seq);
    if (explicit) return explicit;
    // hash32 with the other inputs fixed is a bijection of seq, so record ids stay unique yet look unrelated.
    return this.operations[i] === 4 ? null : this.objectHead + hex8(hash32(seq, 0, 0, 0));
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
    this.createdOn = new Float64Array(n);
    this.seqs = new Uint32Array(n);
    this.users = new Uint32Array(n);
    this.actions = new Uint8Array(n);
    this.operations = new Uint8Array(n);
    this.tables = new Uint8Array(n);
    this.tableNames.length = 0;
    this.tableIndex.clear();
    const remap = columns.tableNames.map((name) => this.indexOfTable(name));
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      this.createdOn[k] = columns.createdOnMs[i]!;
      this.seqs[k] = k;
      this.users[k] = columns.userIndex[i]!;
      this.actions[k] = columns.action[i]!;
      this.operations[k] = columns.operation[i]!;
      this.tables[k] = remap[columns.table[i]!]!;
    }
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

/** Row positions in (createdon, position) order; numeric keys on a Float64Array sort 500,000 rows fast. */
function sortedOrder(createdOnMs: ArrayLike<number>, n: number): Uint32Array {
  const order = new Uint32Array(n);
  if (n === 0) return order;
  let min = Infinity;
  let max = -Infinity;
  let wholeSeconds = true;
  for (let i = 0; i < n; i++) {
    const ms = createdOnMs[i]!;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
    if (ms % 1000 !== 0) wholeSeconds = false;
  }
  const spanSeconds = Math.ceil((max - min) / 1000) + 1;
  if (wholeSeconds && n < 2 ** 26 && spanSeconds < 2 ** 26) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = ((createdOnMs[i]! - min) / 1000) * 2 ** 26 + i;
    keys.sort();
    for (let k = 0; k < n; k++) order[k] = keys[k]! % 2 ** 26;
    return order;
  }
  const indices = Array.from({ length: n }, (_, i) => i).sort((a, b) => createdOnMs[a]! - createdOnMs[b]! || a - b);
  order.set(indices);
  return order;
}

/** Growable columns the generator fills row by row, without an object per row. */
export class AuditColumnsBuilder {
  length = 0;
  createdOnMs = new Float64Array(1024);
  userIndex = new Uint32Array(1024);
  action = new Uint8Array(1024);
  operation = new Uint8Array(1024);
  table = new Uint8Array(1024);
  readonly tableNames: string[] = [];
  private readonly tableIndex = new Map<string, number>();

  push(createdOnMs: number, userIndex: number, action: number, operation: number, table: string): void {
    if (this.length === this.createdOnMs.length) this.grow();
    let index = this.tableIndex.get(table);
    if (index === undefined) {
      index = this.tableNames.length;
      this.tableNames.push(table);
      this.tableIndex.set(table, index);
    }
    const k = this.length++;
    this.createdOnMs[k] = createdOnMs;
    this.userIndex[k] = userIndex;
    this.action[k] = action;
    this.operation[k] = operation;
    this.table[k] = index;
  }

  private grow(): void {
    const size = this.createdOnMs.length * 2;
    const grown = <T extends Float64Array | Uint32Array | Uint8Array>(from: T, make: (n: number) => T): T => {
      const to = make(size);
      to.set(from);
      return to;
    };
    this.createdOnMs = grown(this.createdOnMs, (n) => new Float64Array(n));
    this.userIndex = grown(this.userIndex, (n) => new Uint32Array(n));
    this.action = grown(this.action, (n) => new Uint8Array(n));
    this.operation = grown(this.operation, (n) => new Uint8Array(n));
    this.table = grown(this.table, (n) => new Uint8Array(n));
  }
}
