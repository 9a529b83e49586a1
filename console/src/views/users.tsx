import { useState } from 'preact/hooks';
import { NotAvailable, profilePath } from '../api/client';
import type { EventEnvelope, Subscription } from '../api/types';
import { useConsole } from '../ui/context';
import { dateTime } from '../ui/format';
import { Show, useLoad, type Loaded } from '../ui/load';

/** A link that opens a user's history in the Users view. */
export const historyLink = (upn: string) => <a href={`#/users?upn=${encodeURIComponent(upn)}`}>{upn}</a>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Find a user by principal name (or Graph id) and read their timeline, oldest first. */
export function UsersView() {
  const { api, profile } = useConsole();
  const [query, setQuery] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('upn') ?? '');
  const [searched, setSearched] = useState(query);
  // The history is kept per user id; principal names come from the current subscriptions, read
  // once someone starts to search (a large tenant's list is not worth reading for nothing).
  const [wanted, setWanted] = useState(query !== '');
  const directory = useLoad(
    (signal) =>
      wanted ? api.all<Subscription>(profilePath(profile.id, '/subscriptions'), signal) : Promise.resolve(null),
    [profile.id, wanted],
  );
  const loaded = directory.value.state === 'ok' ? directory.value.data : null;
  const users = new Map((loaded ?? []).map((s) => [s.userPrincipalName.toLowerCase(), s]));

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form
        role="search"
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setWanted(true);
          setSearched(query.trim());
        }}
      >
        <label for="user-search">Search users</label>
        <input
          id="user-search"
          type="search"
          list="user-names"
          placeholder="name@contoso.com"
          value={query}
          onFocus={() => setWanted(true)}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <datalist id="user-names">
          {[...users.values()].slice(0, 500).map((s) => (
            <option key={s.userId} value={s.userPrincipalName} />
          ))}
        </datalist>
        <button type="submit">Show history</button>
      </form>
      {searched === '' ? (
        <p class="muted">Type a user principal name to read that user's history.</p>
      ) : loaded === null && !GUID.test(searched) ? (
        // Until the names are read, a search cannot say "no such user".
        <Show
          value={directory.value.state === 'ok' ? { state: 'loading' } : (directory.value as Loaded<never>)}
          what="the users"
        >
          {() => null}
        </Show>
      ) : (
        <History
          key={searched}
          search={searched}
          userId={GUID.test(searched) ? searched : (users.get(searched.toLowerCase())?.userId ?? null)}
        />
      )}
    </section>
  );
}

function History(props: { search: string; userId: string | null }) {
  const { api, profile } = useConsole();
  const history = useLoad(
    async (signal) => {
      if (!props.userId) return null;
      try {
        return await api.all<EventEnvelope>(
          profilePath(profile.id, `/users/${encodeURIComponent(props.userId)}/history`),
          signal,
        );
      } catch (error) {
        // A user with no history answers 404 user-not-found, which is an answer, not a failure.
        if ((error as { status?: number }).status === 404 && !(error instanceof NotAvailable)) return null;
        throw error;
      }
    },
    [profile.id, props.userId],
  );
  return (
    <Show value={history.value} what="the user's history">
      {(events) =>
        events === null ? (
          <p role="status">No user named {props.search} holds a license in this profile.</p>
        ) : (
          <table class="data" aria-label={`History of ${props.search}`}>
            <caption>History of {props.search}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">What</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.position} data-type={event.type}>
                  <td>{dateTime(event.recordedAt)}</td>
                  <th scope="row">{event.type}</th>
                  <td>{describe(event.data)}</td>
                  <td>{event.metadata.actor ? `${event.metadata.actor.kind} ${event.metadata.actor.id}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Show>
  );
}

const SHOWN = ['skuPartNumber', 'assignedVia', 'app', 'lastActivityAt', 'reason', 'status', 'detail', 'daysInactive'];

function describe(data: Record<string, unknown>): string {
  return SHOWN.filter((k) => data[k] !== undefined && data[k] !== null && data[k] !== '')
    .map((k) => `${k}: ${String(data[k])}`)
    .join('; ');
}
