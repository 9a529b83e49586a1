import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * docs/consumers.md shows the consumers' code in full; the tested and compiled code is in
 * scripts/consumers. This keeps what people copy from the page identical to what is tested.
 */
const REPO = resolve(__dirname, '..', '..');

describe('docs/consumers.md', () => {
  const doc = readFileSync(join(REPO, 'docs', 'consumers.md'), 'utf8');
  const included = [...doc.matchAll(/<!-- file: (\S+) -->\n```ts\n([\s\S]*?)\n```\n/g)].map((m) => ({
    path: m[1],
    code: m[2],
  }));

  it('includes every file of scripts/consumers, each exactly as it is', () => {
    const files = readdirSync(join(REPO, 'scripts', 'consumers'))
      .map((f) => `scripts/consumers/${f}`)
      .sort();
    expect(included.map((i) => i.path).sort()).toEqual(files);
    for (const { path, code } of included) {
      if (code !== readFileSync(join(REPO, path), 'utf8').trimEnd()) {
        throw new Error(`docs/consumers.md shows an outdated ${path}: copy the file into its block`);
      }
    }
  });

  it('links only to files that exist', () => {
    const targets = [...doc.matchAll(/\]\(((?:\.\.\/|events\/|asyncapi)[^)#]*)\)/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThanOrEqual(6);
    expect(targets.filter((target) => !existsSync(join(REPO, 'docs', target)))).toEqual([]);
  });
});
