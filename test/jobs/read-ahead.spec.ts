import { readAhead } from '../../src/jobs/read-ahead';

async function* numbered(count: number, requested: number[], failAt = -1): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    requested.push(i);
    await new Promise((r) => setImmediate(r));
    if (i === failAt) throw new Error(`page ${i} failed`);
    yield i;
  }
}

describe('readAhead', () => {
  it('gives every page once, in order, reading up to depth pages ahead of the caller', async () => {
    const requested: number[] = [];
    const seen: number[] = [];
    for await (const page of readAhead(numbered(25, requested), 10)) {
      await new Promise((r) => setTimeout(r, 1));
      expect(requested.length).toBeLessThanOrEqual(page + 1 + 10);
      seen.push(page);
    }
    expect(seen).toEqual([...Array(25).keys()]);
  });

  it('passes a failure on at the page that failed, after the pages before it', async () => {
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of readAhead(numbered(10, [], 4), 3)) seen.push(page);
      })(),
    ).rejects.toThrow('page 4 failed');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('stops reading when the caller stops', async () => {
    const requested: number[] = [];
    for await (const page of readAhead(numbered(100, requested), 5)) if (page === 2) break;
    await new Promise((r) => setTimeout(r, 20));
    expect(requested.length).toBeLessThanOrEqual(3 + 5 + 1);
  });
});
