import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { NotAvailable } from '../api/client';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'unavailable'; path: string }
  | { state: 'error'; message: string };

/**
 * Loads once per change of deps; `reload` asks again, showing the previous answer until the
 * new one arrives (so filters and scroll stay put). An aborted load never overwrites a newer one.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal).then(
      (data) => abort.signal.aborted || setValue({ state: 'ok', data }),
      (error: Error) => {
        if (abort.signal.aborted) return;
        setValue(
          error instanceof NotAvailable
            ? { state: 'unavailable', path: error.path }
            : { state: 'error', message: error.message },
        );
      },
    );
    return () => abort.abort();
    // The caller's deps decide when to load again (this hook is the only place that does).
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { value, reload, setValue };
}

/** The three honest states besides the answer: loading, not on this server, failed. */
export function Show<T>(props: { value: Loaded<T>; what: string; children: (data: T) => ComponentChildren }) {
  const { value, what } = props;
  switch (value.state) {
    case 'loading':
      return (
        <p class="muted" role="status">
          Loading {what}…
        </p>
      );
    case 'unavailable':
      return (
        <p class="notice" role="status" data-state="unavailable">
          {capitalise(what)} is not available on this server yet: it does not answer{' '}
          <code>{value.path.split('?')[0]}</code>. Upgrade the service to see it here.
        </p>
      );
    case 'error':
      return (
        <p class="error" role="alert">
          Could not load {what}: {value.message}
        </p>
      );
    case 'ok':
      return <>{props.children(value.data)}</>;
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
