/**
 * The pages of `source`, up to `depth` of the next ones already requested while the caller
 * works on the current one: deciding and recording a page takes about as long as Microsoft
 * takes to send the next. Pages are still read one after the other (each names the next), so
 * `depth` is how far the reading may run ahead of the caller, not parallel requests. Requests
 * still in flight when the caller stops are dropped.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T, void, undefined> {
  const pages = source[Symbol.asyncIterator]();
  // An async generator queues next() calls and answers them in order; after its end or an
  // error, the calls queued behind answer done.
  const ahead: Promise<IteratorResult<T>>[] = [];
  const request = () => {
    const next = pages.next();
    next.catch(() => undefined); // awaited below; a failure of one never awaited is not unhandled
    ahead.push(next);
  };
  try {
    for (let i = 0; i < depth; i++) request();
    for (;;) {
      const page = await ahead.shift()!;
      if (page.done) return;
      request();
      yield page.value;
    }
  } finally {
    void Promise.allSettled(ahead)
      .then(() => pages.return?.())
      .catch(() => undefined);
  }
}
