import type { Random } from './random';

/**
 * What an attacker sends to block the event loop or the stack: huge, deep, many-keyed,
 * many-valued. Unauthenticated routes (the keep link) get these as often as the others.
 */
export function hostileBody(rng: Random): { why: string; text: string } {
  return rng.pick([
    () => ({ why: 'a huge body', text: `{"reason":"${'x'.repeat(rng.int(1_100_000, 3_000_000))}"}` }),
    () => {
      const keys = rng.int(5_000, 80_000);
      const text = `{${Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(',')}}`;
      return { why: `${keys} keys`, text };
    },
    () => {
      const depth = rng.int(1_000, 100_000);
      return { why: `nested ${depth} deep`, text: '['.repeat(depth) + ']'.repeat(depth) };
    },
    () => {
      const values = rng.int(1_000, 200_000);
      return { why: `${values} values`, text: `[${'0,'.repeat(values)}0]` };
    },
    () => ({ why: 'many small objects', text: `[${'{},'.repeat(rng.int(1_000, 50_000))}{}]` }),
  ])();
}
