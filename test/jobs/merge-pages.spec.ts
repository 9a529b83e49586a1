import { mergePages, timeSlices } from '../../src/jobs/merge-pages';

async function* pages(name: string, count: number, delayMs: number, failAt = -1): AsyncGenerator<string> {
  for (let i = 0; i < count; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    if (i === failAt) throw new Error(`${name} ${i} failed`);
    yield `${name}${i}`;
  }
}

describe('mergePages', () => {
  it('gives every page of every source once, each source in its own order', async () => {
    const seen: string[] = [];
    for await (const page of mergePages([pages('a', 5, 1), pages('b', 3, 3), pages('c', 0, 1)])) seen.push(page);
    expect([...seen].sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2']);
    expect(seen.filter((p) => p.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(seen.filter((p) => p.startsWith('b'))).toEqual(['b0', 'b1', 'b2']);
  });

  it('fails when any source fails', async () => {
    const run = async () => {
      for await (const _ of mergePages([pages('a', 5, 1), pages('b', 5, 1, 2)]));
    };
    await expect(run()).rejects.toThrow('b 2 failed');
  });
});

describe('timeSlices', () => {
  it('cuts [from, to) into consecutive windows that cover it exactly', () => {
    const slices = timeSlices('2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z', 4);
    expect(slices).toEqual([
      { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' },
      { from: '2026-01-02T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' },
      { from: '2026-01-03T00:00:00.000Z', to: '2026-01-04T00:00:00.000Z' },
      { from: '2026-01-04T00:00:00.000Z', to: '2026-01-05T00:00:00.000Z' },
    ]);
  });

  it('keeps a window too short to cut, or an uneven one, whole at its ends', () => {
    expect(timeSlices('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 4)).toEqual([
      { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    ]);
    const uneven = timeSlices('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.010Z', 3);
    expect(uneven[0].from).toBe('2026-01-01T00:00:00Z');
    expect(uneven[uneven.length - 1].to).toBe('2026-01-01T00:00:00.010Z');
    for (let i = 1; i < uneven.length; i++) expect(uneven[i].from).toBe(uneven[i - 1].to);
  });
});
