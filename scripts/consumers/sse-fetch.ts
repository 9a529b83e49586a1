import { backoffMs, sleep, type Envelope, type FileCheckpoint, type Log } from './support';

export interface SseOptions {
  /** The service, e.g. http://127.0.0.1:3000 */
  readonly baseUrl: string;
  /** A key with the consumer role. */
  readonly apiKey: string;
  /** The position (SSE id) of the last event handled. */
  readonly checkpoint: FileCheckpoint<string>;
  readonly handle: (event: Envelope) => Promise<void>;
  readonly signal: AbortSignal;
  readonly log: Log;
}

/** Retrying cannot fix a refused key, a forbidden role or a position the server rejects. */
export class FatalStreamError extends Error {}

/**
 * The SSE stream with nothing but fetch. Each connection starts after the stored position
 * (Last-Event-ID). An event is handled, then its position saved, before the next is read:
 * that is the back-pressure EventSource lacks, and it is what makes the stored position
 * exact. When the stream ends or fails, reconnect with backoff from the stored position.
 */
export async function consumeWithFetch(options: SseOptions): Promise<void> {
  const { baseUrl, apiKey, checkpoint, handle, signal, log } = options;
  let attempt = 0;
  while (!signal.aborted) {
    const after = await checkpoint.load();
    try {
      const response = await fetch(`${baseUrl}/api/v1/events/stream`, {
        headers: {
          Authorization: `Bearer ${apiKey}`,
          Accept: 'text/event-stream',
          ...(after ? { 'Last-Event-ID': after } : {}),
        },
        signal,
      });
      if ([400, 401, 403].includes(response.status))
        throw new FatalStreamError(`the stream refused us: HTTP ${response.status} ${await response.text()}`);
      if (response.status !== 200 || !response.body) throw new Error(`HTTP ${response.status}`);
      for await (const message of sseMessages(response.body)) {
        await handle(JSON.parse(message.data) as Envelope);
        await checkpoint.save(message.id);
        attempt = 0;
      }
      log('the stream ended (the service stopped?); reconnecting');
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof FatalStreamError) throw error;
      log(`stream failed: ${(error as Error).message}; reconnecting`);
    }
    await sleep(backoffMs(attempt++), signal);
  }
}

interface SseMessage {
  readonly id: string;
  readonly type: string;
  readonly data: string;
}

/**
 * A text/event-stream parser, enough for this service: fields `id`, `event`, `data`
 * (multi-line data joined by \n), comment lines (heartbeats) skipped, a blank line ends a
 * message. Lines end with \n or \r\n (a lone \r, allowed by the spec, is never sent here).
 * `retry:` is ignored: the caller backs off itself.
 */
async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id = '';
  let type = 'message';
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line === '') {
        if (data.length > 0) yield { id, type, data: data.join('\n') };
        type = 'message';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
  }
}
