/**
 * The pages of several sources as each arrives, every source with one request in flight: k
 * chains of pages (each page names its successor, so one chain is sequential) keep the server
 * busy while the caller works on what has come. Order across sources is arrival order; a
 * failure of any source fails the whole and drops the requests still in flight.
 */
export async function* mergePages<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T, void, undefined> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const inFlight = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const request = (index: number) => {
    const next = iterators[index].next().then((result) => ({ index, result }));
    next.catch(() => undefined); // raced below; a failure never raced is not unhandled
    inFlight.set(index, next);
  };
  try {
    iterators.forEach((_, i) => request(i));
    while (inFlight.size > 0) {
      const { index, result } = await Promise.race(inFlight.values());
      if (result.done) {
        inFlight.delete(index);
        continue;
      }
      request(index);
      yield result.value;
    }
  } finally {
    for (const [index, next] of inFlight) void next.then(() => iterators[index].return?.()).catch(() => undefined);
  }
}

/** `[from, to)` cut into `count` consecutive windows of equal length (ISO times, millisecond precision). */
export function timeSlices(from: string, to: string, count: number): { from: string; to: string }[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!(end > start) || count <= 1) return [{ from, to }];
  const step = Math.ceil((end - start) / count);
  const slices: { from: string; to: string }[] = [];
  for (let t = start; t < end; t += step)
    slices.push({
      from: t === start ? from : new Date(t).toISOString(),
      to: t + step >= end ? to : new Date(t + step).toISOString(),
    });
  return slices;
}
