import type { ValidationError } from '@nestjs/common';
import { JsonShapeScanner, MAX_BODY_DEPTH, MAX_BODY_VALUES } from '../../src/http/json-shape';
import { MAX_FIELD_PROBLEMS, ValidationProblem, flatten } from '../../src/http/validation';

/** Feeds a text in chunks of `size` and returns the first problem reported. */
function scan(text: string, size = 7): string | null {
  const scanner = new JsonShapeScanner();
  for (let i = 0; i < text.length; i += size) {
    const problem = scanner.feed(text.slice(i, i + size));
    if (problem) return problem;
  }
  return null;
}

describe('the body shape scanner (before JSON.parse sees a body)', () => {
  it('lets an ordinary body through, whatever the chunking', () => {
    const body = JSON.stringify({
      displayName: 'Contoso [EU] {prod}, "main"',
      notifications: { webhookUrl: 'https://hooks.contoso.com/x?a=1,2', webhookSecret: 'a\\"]}{[,' },
      environmentUrls: Array.from({ length: 50 }, (_, i) => `https://org${i}.crm.dynamics.com`),
    });
    for (const size of [1, 2, 3, 64, body.length]) expect(scan(body, size)).toBeNull();
  });

  it('stops at the level past the limit, however deep the body goes', () => {
    expect(scan('['.repeat(MAX_BODY_DEPTH) + ']'.repeat(MAX_BODY_DEPTH))).toBeNull();
    expect(scan('['.repeat(MAX_BODY_DEPTH + 1))).toBe('too-deep');
    expect(scan('{"a":'.repeat(100_000))).toBe('too-deep');
  });

  it('stops at the value past the limit, in objects and in arrays', () => {
    const keys = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
    expect(scan(keys(MAX_BODY_VALUES - 1))).toBeNull();
    expect(scan(keys(80_000))).toBe('too-many-values');
    expect(scan(JSON.stringify(Array.from({ length: 80_000 }, () => 0)))).toBe('too-many-values');
  });

  it('does not count brackets and commas inside strings, escaped quotes included, across chunk edges', () => {
    const inside = JSON.stringify({ s: `${'[{,'.repeat(5_000)}\\"${'[,'.repeat(5_000)}` });
    for (const size of [1, 2, 5, 64, inside.length]) expect(scan(inside, size)).toBeNull();
  });

  it('skips long strings whole, and still ends a string at a quote after escaped backslashes', () => {
    // A string ending in an escaped backslash: the quote after it closes the string, so the brackets count.
    const deep = `{"s":"x\\\\","t":${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}}`;
    const long = JSON.stringify({ s: `${'x'.repeat(1_000_000)}\\${'[,'.repeat(1_000)}`, n: [1, 2] });
    for (const size of [1, 2, 3, 64, 65_536, deep.length]) expect(scan(deep, size)).toBe('too-deep');
    for (const size of [3, 65_536, long.length]) expect(scan(long, size)).toBeNull();
    expect(scan(`{"s":"${'x'.repeat(1_000_000)}","k":[${'0,'.repeat(MAX_BODY_VALUES)}0]}`, 65_536)).toBe(
      'too-many-values',
    );
  });
});

describe('validation errors stay small', () => {
  it('names at most MAX_FIELD_PROBLEMS fields and says how many more there were', () => {
    const errors = Array.from({ length: 5_000 }, (_, i) => ({
      property: `unknown${i}`,
      constraints: { whitelistValidation: `property unknown${i} should not exist` },
      children: [],
    })) as ValidationError[];
    const { problems, total } = flatten(errors);
    expect(total).toBe(5_000);
    const problem = new ValidationProblem(problems, total);
    expect(problem.errors).toHaveLength(MAX_FIELD_PROBLEMS + 1);
    expect(problem.errors[MAX_FIELD_PROBLEMS]).toEqual({
      field: '(more)',
      problem: `and ${5_000 - MAX_FIELD_PROBLEMS} more problems`,
    });
    expect(problem.message.length).toBeLessThan(2_000);
  });

  it('walks a very deep error tree without recursion', () => {
    let tree: ValidationError = { property: 'leaf', constraints: { isString: 'leaf must be a string' }, children: [] };
    for (let i = 0; i < 50_000; i++) tree = { property: `p${i}`, children: [tree] };
    const { problems, total } = flatten([tree]);
    expect(total).toBe(1);
    expect(problems[0]!.field.endsWith('.leaf')).toBe(true);
    expect(problems[0]!.problem).toBe('must be a string');
  });
});
