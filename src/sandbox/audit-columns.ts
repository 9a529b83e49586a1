/** Column storage shared by the audit log and its generator: typed arrays, no object per row. */

export interface AuditRowColumns {
  createdOnMs: number;
  userIndex: number;
  action: number;
  operation: number;
  table: string;
  objectId?: string;
  /** The impersonating caller's systemuser index (`_callinguserid_value`); absent when not impersonated. */
  callingUserIndex?: number;
}

/** Growable columns the generator fills row by row, without an object per row. */
export class AuditColumnsBuilder {
  length = 0;
  createdOnMs = new Float64Array(1024);
  userIndex = new Uint32Array(1024);
  action = new Uint8Array(1024);
  operation = new Uint8Array(1024);
  table = new Uint8Array(1024);
  /** 0 when not impersonated, else the calling user's index + 1. */
  calling = new Uint32Array(1024);
  readonly tableNames: string[] = [];
  private readonly tableIndex = new Map<string, number>();

  push(
    createdOnMs: number,
    userIndex: number,
    action: number,
    operation: number,
    table: string,
    callingUserIndex?: number,
  ): void {
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
    this.calling[k] = callingUserIndex === undefined ? 0 : callingUserIndex + 1;
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
    this.calling = grown(this.calling, (n) => new Uint32Array(n));
  }
}

/** Row positions in (createdon, position) order; numeric keys on a Float64Array sort 500,000 rows fast. */
export function sortedOrder(createdOnMs: ArrayLike<number>, n: number): Uint32Array {
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
