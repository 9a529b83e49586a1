import type { Api } from './client';
import type { EventEnvelope } from './types';

export interface LiveEvents {
  close(): void;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * The event stream (`GET /events/stream`) read with fetch, because EventSource cannot send
 * the Authorization header and a key must never travel in a URL. Starts at the store's
 * head (from `/health/ready`, which needs no key) so the browser never replays history,
 * and resumes after the last id it saw when the connection drops.
 */
export function liveEvents(
  api: Api,
  onEvent: (event: EventEnvelope) => void,
  onStatus: (status: LiveStatus) => void = () => undefined,
): LiveEvents {
  const abort = new AbortController();
  let lastId: string | null = null;

  const run = async (): Promise<void> => {
    lastId = await headPosition(abort.signal);
    while (!abort.signal.aborted) {
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (lastId !== null) headers['Last-Event-ID'] = lastId;
        const response = await api.raw('/events/stream', { headers, signal: abort.signal });
        if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
        onStatus('live');
        await readFrames(response.body, abort.signal, (frame) => {
          if (frame.id !== undefined) lastId = frame.id;
          if (frame.data) onEvent(JSON.parse(frame.data) as EventEnvelope);
        });
      } catch {
        if (abort.signal.aborted) return;
      }
      onStatus('reconnecting');
      await sleep(2000, abort.signal);
    }
  };
  onStatus('connecting');
  void run();
  return { close: () => abort.abort() };
}

interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

async function readFrames(body: ReadableStream<Uint8Array>, signal: AbortSignal, onFrame: (frame: Frame) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: Frame = {};
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') frame.id = value;
        else if (field === 'event') frame.event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) frame.data = data.join('\n');
      if (frame.id !== undefined || frame.data !== undefined) onFrame(frame);
    }
  }
}

async function headPosition(signal: AbortSignal): Promise<string | null> {
  try {
    const response = await fetch('/health/ready', { signal, cache: 'no-store' });
    const body = (await response.json()) as { store?: { head?: string | null } };
    return body.store?.head ?? null;
  } catch {
    return null;
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
