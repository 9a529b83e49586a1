/** A seeded PRNG (mulberry32) and the pickers the fuzzer draws from, so a seed replays a run exactly. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  uuid(): string {
    const hex = () => this.int(0, 15).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `${part(8)}-${part(4)}-4${part(3)}-${this.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
  }

  /** A string from an alphabet that mixes the ordinary with what breaks parsers. */
  text(maxLength = 40): string {
    const length = this.int(0, maxLength);
    let out = '';
    for (let i = 0; i < length; i++) out += this.pick(ALPHABET);
    return out;
  }
}

const ALPHABET = [
  ...'abcXYZ019_-.~ ',
  '/',
  '\\',
  '%',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  ',',
  '"',
  "'",
  '`',
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
  '|',
  '^',
  '$',
  '*',
  '(',
  ')',
  '!',
  '@',
  ':',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\n',
  '\r',
  '\t',
  '\u00a0',
  '\u00e9',
  '\u00ff',
  '\u0100',
  '\u200b',
  '\u200e',
  '\u202e',
  '\u2028',
  '\ufeff',
  '\uffff',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u4e2d',
  '\u0645',
  '..',
  '%00',
  '%2F',
  '%ZZ',
  '${x}',
  '{{x}}',
  '__proto__',
];

/** Values of every JSON type, and a few that are technically JSON but hurt. */
export function junkValue(rng: Random, depth = 0): unknown {
  const kinds =
    depth > 3
      ? ['string', 'number', 'bool', 'null', 'huge']
      : ['string', 'number', 'bool', 'null', 'huge', 'array', 'object', 'long'];
  switch (rng.pick(kinds)) {
    case 'string':
      return rng.text();
    case 'number':
      return rng.pick([0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, 5e-324, 3650, 3651]);
    case 'bool':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'huge':
      return rng.pick(['1'.repeat(400), '9'.repeat(20), 'x'.repeat(5_000)]);
    case 'long':
      return rng.text(2).repeat(rng.int(500, 20_000));
    case 'array':
      return Array.from({ length: rng.int(0, 5) }, () => junkValue(rng, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: rng.int(0, 4) }, () => [rng.text(8), junkValue(rng, depth + 1)]));
  }
}
