/**
 * The pages of `source`, the next one already requested while the caller works on the current
 * one: deciding and recording a page takes about as long as Microsoft takes to send the next.
 * Only one request is ever in flight; one still in flight when the caller stops is dropped.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const pages = source[Symbol.asyncIterator]();
  let next = pages.next();
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = pages.next();
      yield page.value;
    }
  } finally {
    void next.then(() => pages.return?.()).catch(() => undefined);
  }
}
