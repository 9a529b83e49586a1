import { EventSource } from 'eventsource';
import { FatalStreamError, type SseOptions } from './sse-fetch';
import { backoffMs, sleep, type Envelope } from './support';

/**
 * The SSE stream through the `eventsource` package (v4). What the library does for us:
 * parsing, and reconnecting after a dropped connection with Last-Event-ID set to the last
 * id it saw. What it does not, and this code adds:
 * - the Authorization header: v4 takes a custom `fetch` for that;
 * - starting after our stored position on a fresh start: `?from=` (the library only sends
 *   Last-Event-ID once it has seen an event; when both are sent the header wins);
 * - waiting for our handler: listeners are called without awaiting, so events are chained
 *   on one promise to run one at a time, in order;
 * - a permanent failure (a non-200 answer, e.g. while the service restarts behind a
 *   proxy): the library closes for good, so open a new one from the stored position.
 * Every message is named by its type (`event:`), so `onmessage` never fires: listen to each
 * type the service publishes (GET /api/v1/events/schemas), read when a session opens. A
 * type the service starts publishing during a session is not listened to until the next
 * one, and its events in between are skipped: use the fetch variant to see every type.
 */
export async function consumeWithEventSource(options: SseOptions): Promise<void> {
  const { baseUrl, apiKey, checkpoint, handle, signal, log } = options;
  let attempt = 0;
  while (!signal.aborted) {
    try {
      const types = await publishedTypes(baseUrl, apiKey, signal);
      const ended = await session(types, (await checkpoint.load()) ?? null);
      if (ended === 'handled-some') attempt = 0;
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof FatalStreamError) throw error;
      log(`stream failed: ${(error as Error).message}; reopening`);
    }
    await sleep(backoffMs(attempt++), signal);
  }

  /** One EventSource, until we stop, the handler fails, or the library gives up. */
  function session(types: readonly string[], after: string | null): Promise<'handled-some' | 'nothing'> {
    return new Promise((resolve, reject) => {
      const source = new EventSource(`${baseUrl}/api/v1/events/stream${after ? `?from=${after}` : ''}`, {
        fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${apiKey}` } }),
      });
      let queue = Promise.resolve();
      let handled = false;
      let failed: unknown = null;
      const finish = (outcome: () => void) => {
        source.close();
        signal.removeEventListener('abort', onAbort);
        // Let the event in hand finish and its position be saved before the next session reads it.
        void queue.then(outcome, outcome);
      };
      const onAbort = () => finish(() => resolve(handled ? 'handled-some' : 'nothing'));
      signal.addEventListener('abort', onAbort, { once: true });
      const onEvent = (event: MessageEvent) => {
        queue = queue.then(async () => {
          if (failed !== null || signal.aborted) return;
          try {
            await handle(JSON.parse(event.data) as Envelope);
            await checkpoint.save(event.lastEventId);
            handled = true;
          } catch (error) {
            failed = error;
            finish(() => reject(error));
          }
        });
      };
      for (const type of types) source.addEventListener(type, onEvent);
      source.addEventListener('error', (error) => {
        if (source.readyState !== EventSource.CLOSED)
          return log(`connection lost (${error.message ?? 'no detail'}); the library reconnects`);
        const refused = error.code === 400 || error.code === 401 || error.code === 403;
        finish(() =>
          reject(
            refused
              ? new FatalStreamError(`the stream refused us: HTTP ${error.code}`)
              : new Error(error.message ?? 'closed'),
          ),
        );
      });
    });
  }
}

async function publishedTypes(baseUrl: string, apiKey: string, signal: AbortSignal): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/v1/events/schemas`, {
    headers: { Authorization: `Bearer ${apiKey}` },
    signal,
  });
  if ([401, 403].includes(response.status))
    throw new FatalStreamError(`the service refused us: HTTP ${response.status}`);
  if (response.status !== 200) throw new Error(`GET /events/schemas: HTTP ${response.status}`);
  return Object.keys((await response.json()) as Record<string, unknown>);
}
