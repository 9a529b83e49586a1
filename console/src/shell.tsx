import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi, type Role } from './api/client';
import type { Profile } from './api/types';
import { currentRoute, ROUTES, type RoutePath } from './routes';
import { session } from './session';
import { ConsoleContext, type ConsoleState } from './ui/context';
import { ConsolidationView } from './views/consolidation';
import { CoverageView } from './views/coverage';
import { DowngradeView } from './views/downgrade';
import { ExportsView } from './views/exports';
import { JobsView } from './views/jobs';
import { LowUsageView } from './views/low-usage';
import { PositionView } from './views/position';
import { FirstProfile, ProfilesView } from './views/profiles';
import { UsersView } from './views/users';

export type Identity = { token: string; role: Role };

const VIEWS: Record<RoutePath, () => preact.JSX.Element> = {
  position: PositionView,
  'low-usage': LowUsageView,
  consolidation: ConsolidationView,
  downgrade: DowngradeView,
  coverage: CoverageView,
  jobs: JobsView,
  users: UsersView,
  exports: ExportsView,
  profiles: ProfilesView,
};

/** The signed-in console: header, navigation, the chosen profile and its view. */
export function SignedIn(props: { identity: Identity; onSignOut: (why?: string) => void }) {
  const { identity, onSignOut } = props;
  const api = useMemo(
    () => createApi(identity.token, () => onSignOut('Your key or session is no longer accepted. Sign in again.')),
    [identity.token],
  );
  const [route, setRoute] = useState<RoutePath>(currentRoute);
  const [profiles, setProfiles] = useState<Profile[] | null>(null);
  const [profileId, setProfileId] = useState<string | null>(session.profile());
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (identity.role === 'consumer') return;
    api.all<Profile>('/profiles').then(
      (list) => {
        setProfiles(list);
        // With one profile the console opens on it; with several, the last one chosen in this tab, if any.
        if (list.length === 1) choose(list[0].id);
        else if (!list.some((p) => p.id === profileId)) setProfileId(null);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [api, generation]);

  const choose = (id: string) => {
    session.setProfile(id);
    setProfileId(id);
  };

  const profile = profiles?.find((p) => p.id === profileId) ?? null;
  const header = (
    <header class="top">
      <a class="brand" href="#/position">
        License Ledger
      </a>
      {profiles && profiles.length > 1 ? (
        <label class="picker">
          Profile
          <select value={profileId ?? ''} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
            {profileId ? null : <option value="">Choose a profile…</option>}
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
      ) : profile ? (
        <span class="profile-name">{profile.displayName}</span>
      ) : null}
      <span class="role" title="What this key may do">
        Signed in as {identity.role}
        {identity.role === 'auditor' ? ' (read only)' : ''}
      </span>
      <button type="button" onClick={() => onSignOut()}>
        Sign out
      </button>
    </header>
  );

  if (identity.role === 'consumer') {
    return (
      <>
        {header}
        <main>
          <h1>Event log only</h1>
          <p>
            This key has the consumer role: it may read the event log (<code>/api/v1/events</code>) and nothing else.
          </p>
        </main>
      </>
    );
  }

  const View = VIEWS[route];
  const state: ConsoleState | null =
    profiles && profile
      ? {
          api,
          role: identity.role,
          canCommand: identity.role === 'admin',
          profile,
          profiles,
          reloadProfiles: (selectId) => {
            if (selectId) choose(selectId);
            setGeneration((g) => g + 1);
          },
        }
      : null;

  return (
    <>
      {header}
      <nav aria-label="Views">
        <ul>
          {ROUTES.map((r) => (
            <li key={r.path}>
              <a href={`#/${r.path}`} aria-current={r.path === route ? 'page' : undefined}>
                {r.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        {error ? (
          <p class="error" role="alert">
            Could not read the profiles: {error}
          </p>
        ) : !profiles ? (
          <p class="muted" role="status">
            Loading profiles…
          </p>
        ) : state ? (
          <ConsoleContext.Provider value={state}>
            <View key={`${route}-${profile!.id}`} />
          </ConsoleContext.Provider>
        ) : route === 'profiles' || profiles.length === 0 ? (
          <FirstProfile
            api={api}
            canCommand={identity.role === 'admin'}
            onCreated={(id) => {
              choose(id);
              setGeneration((g) => g + 1);
            }}
          />
        ) : (
          <ProfilePicker profiles={profiles} onChoose={choose} />
        )}
      </main>
    </>
  );
}

function ProfilePicker(props: { profiles: Profile[]; onChoose: (id: string) => void }) {
  return (
    <section>
      <h1>Choose a profile</h1>
      <ul class="cards">
        {props.profiles.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => props.onChoose(p.id)}>
              {p.displayName}
            </button>
            <span class="muted"> {p.status}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
