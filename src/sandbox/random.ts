/** Seeded randomness: the same seed must always produce the same tenant, byte for byte. */

export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for test data (not for secrets). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rng: Rng, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(rng() * (maxInclusive - minInclusive + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

export function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

/** A 32-bit integer hash (murmur3 mixing) so ids can be derived from (seed, n) without storing them. */
export function hash32(a: number, b: number, c: number, d: number): number {
  let h = 0x811c9dc5;
  h = mix(h, a);
  h = mix(h, b);
  h = mix(h, c);
  return mix(h, d) >>> 0;
}

function mix(h: number, part: number): number {
  h = Math.imul(h ^ (part >>> 0), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/** Formats four 32-bit words as an RFC 4122 version-4 UUID (Entra object ids are v4). */
export function uuidFromWords(w0: number, w1: number, w2: number, w3: number): string {
  const a = hex32(w0);
  const b = hex32(((w1 & 0xffff0fff) | 0x00004000) >>> 0);
  const c = hex32(((w2 & 0x3fffffff) | 0x80000000) >>> 0);
  const d = hex32(w3);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

export function uuid(rng: Rng): string {
  const word = (): number => Math.floor(rng() * 4294967296) >>> 0;
  return uuidFromWords(word(), word(), word(), word());
}

/** A UUID that is a pure function of its inputs, for ids of rows that are not stored (audit rows). */
export function derivedUuid(seed: number, salt: number, n: number): string {
  return uuidFromWords(
    hash32(seed, salt, n, 1),
    hash32(seed, salt, n, 2),
    hash32(seed, salt, n, 3),
    hash32(seed, salt, n, 4),
  );
}
