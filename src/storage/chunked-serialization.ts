import { setImmediate as nextTurn } from 'node:timers/promises';
import { types } from 'node:util';
import { deserialize, serialize } from 'node:v8';

/** Entries of a large Map serialised (or restored) per event-loop turn: ~0.5 MB, ~5 ms, of licensees. */
const ENTRIES_PER_CHUNK = 500;
/** A Map of more entries than this is written in chunks. */
const LARGE = 1_000;

interface MapMarker {
  readonly __chunkedMap: number;
}

/**
 * Serialising a tenant's read-model states in one `v8.serialize` holds the event loop for a
 * second or more (restoring them, several times that), and reading or writing the one blob of
 * tens of MB in SQLite holds it again, so as-of snapshots are written and read in parts: a
 * skeleton of the states in which every Map of more than LARGE entries is replaced by a marker,
 * then for each such Map its size and its entries in chunks, one part per turn of the event
 * loop. The skeleton is walked without recursion, and only outside the large Maps (their
 * entries are serialised whole, chunk by chunk), so the walk costs little. Shared references
 * across chunks come back as copies, as they already do across one serialisation.
 */
export async function serializeInSteps(value: unknown, write: (part: Buffer) => unknown): Promise<number> {
  const large: Map<unknown, unknown>[] = [];
  await write(serialize(replaceLargeMaps(value, large)));
  let parts = 1;
  for (const map of large) {
    await write(serialize(map.size));
    parts += 1;
    let chunk: [unknown, unknown][] = [];
    for (const entry of map) {
      chunk.push(entry);
      if (chunk.length === ENTRIES_PER_CHUNK) {
        await nextTurn();
        await write(serialize(chunk));
        parts += 1;
        chunk = [];
      }
    }
    if (chunk.length > 0) {
      await nextTurn();
      await write(serialize(chunk));
      parts += 1;
    }
  }
  return parts;
}

/**
 * The inverse of serializeInSteps: `read(i)` gives part i (from 0), one part per turn of the
 * event loop (or a promise of it: an as-of worker asks the service's thread for each part).
 */
export async function deserializeInSteps(read: (index: number) => Uint8Array | Promise<Uint8Array>): Promise<unknown> {
  const steps = restoreParts();
  for (let step = steps.next(); ;) {
    if (step.done) return step.value;
    if (step.value.turn) await nextTurn();
    step = steps.next(await read(step.value.index));
  }
}

/** The same, at once, from parts already read (a read model restored before the service answers anyone). */
export function deserializeParts(parts: readonly Uint8Array[]): unknown {
  const steps = restoreParts();
  for (let step = steps.next(); ;) {
    if (step.done) return step.value;
    const part = parts[step.value.index];
    if (!part) throw new Error(`part ${step.value.index} of ${parts.length} is missing`);
    step = steps.next(part);
  }
}

/** Asks for each part in turn (and whether to give the loop a turn first), then gives the value. */
function* restoreParts(): Generator<{ index: number; turn: boolean }, unknown, Uint8Array> {
  let at = 0;
  const skeleton = deserialize(yield { index: at++, turn: false });
  const markers = countMarkers(skeleton);
  const maps: Map<unknown, unknown>[] = [];
  for (let m = 0; m < markers; m++) {
    const size = deserialize(yield { index: at++, turn: false }) as number;
    const map = new Map<unknown, unknown>();
    while (map.size < size) {
      for (const [k, v] of deserialize(yield { index: at++, turn: true }) as [unknown, unknown][]) map.set(k, v);
    }
    maps.push(map);
  }
  return restoreLargeMaps(skeleton, maps);
}

/** A copy of the containers around the large Maps, with each large Map replaced by its marker. */
function replaceLargeMaps(root: unknown, large: Map<unknown, unknown>[]): unknown {
  const swap = (v: unknown): unknown => {
    if (isMap(v) && v.size > LARGE) {
      large.push(v);
      return { __chunkedMap: large.length - 1 } satisfies MapMarker;
    }
    return v;
  };
  return walk(swap(root), (container, copy) => {
    if (isMap(container)) for (const [k, v] of container) (copy as Map<unknown, unknown>).set(k, swap(v));
    else if (Array.isArray(container)) for (const v of container) (copy as unknown[]).push(swap(v));
    else for (const [k, v] of Object.entries(container)) (copy as Record<string, unknown>)[k] = swap(v);
  });
}

/** How many large Maps the skeleton stands in for. */
function countMarkers(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (isMarker(v)) count += 1;
    else if (isMap(v)) for (const child of v.values()) stack.push(child);
    else if (Array.isArray(v)) for (const child of v) stack.push(child);
    else if (isPlainObject(v)) for (const child of Object.values(v)) stack.push(child);
  }
  return count;
}

function restoreLargeMaps(root: unknown, maps: readonly Map<unknown, unknown>[]): unknown {
  const swap = (v: unknown): unknown => (isMarker(v) ? maps[v.__chunkedMap] : v);
  const restored = swap(root);
  if (restored !== root) return restored;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const container = stack.pop();
    if (isMap(container)) {
      for (const [k, v] of container) {
        const next = swap(v);
        if (next !== v) container.set(k, next);
        else if (isContainer(v)) stack.push(v);
      }
    } else if (Array.isArray(container)) {
      container.forEach((v, i) => {
        const next = swap(v);
        if (next !== v) container[i] = next;
        else if (isContainer(v)) stack.push(v);
      });
    } else if (isContainer(container)) {
      const object = container as Record<string, unknown>;
      for (const [k, v] of Object.entries(object)) {
        const next = swap(v);
        if (next !== v) object[k] = next;
        else if (isContainer(v)) stack.push(v);
      }
    }
  }
  return root;
}

/**
 * Copies the container structure of `root` without recursion: `fill(original, copy)` puts the
 * (already swapped) children into each copy; children that are containers are copied in turn.
 */
function walk(root: unknown, fill: (original: object, copy: object) => void): unknown {
  if (!isContainer(root)) return root;
  const copies = new Map<object, object>();
  const copyOf = (v: object): object => {
    let copy = copies.get(v);
    if (!copy) {
      copy = isMap(v) ? new Map() : Array.isArray(v) ? [] : {};
      copies.set(v, copy);
      pending.push(v);
    }
    return copy;
  };
  const pending: object[] = [];
  const top = copyOf(root);
  while (pending.length > 0) {
    const original = pending.pop()!;
    const copy = copies.get(original)!;
    fill(original, copy);
    // Children that are containers become copies too (a large Map was swapped for its marker above).
    if (isMap(copy)) {
      for (const [k, v] of copy) if (isContainer(v) && !isMarker(v)) copy.set(k, copyOf(v));
    } else if (Array.isArray(copy)) {
      copy.forEach((v, i) => {
        if (isContainer(v) && !isMarker(v)) copy[i] = copyOf(v);
      });
    } else {
      const object = copy as Record<string, unknown>;
      for (const [k, v] of Object.entries(object)) if (isContainer(v) && !isMarker(v)) object[k] = copyOf(v);
    }
  }
  return top;
}

// Deserialised values may come from another realm (a vm context): checks that do not rely on instanceof.
const isMap = (v: unknown): v is Map<unknown, unknown> => types.isMap(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Object]';

/** Maps, arrays and plain objects: what the walk looks inside (Sets, Dates and the like go whole). */
function isContainer(v: unknown): v is object {
  return isMap(v) || Array.isArray(v) || isPlainObject(v);
}

function isMarker(v: unknown): v is MapMarker {
  return isPlainObject(v) && '__chunkedMap' in v;
}
