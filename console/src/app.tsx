import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ApiError,
  createApi,
  endSession,
  finishMicrosoftSignIn,
  redeemSignInLink,
  whoami,
  type Role,
} from './api/client';
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
import { SignIn } from './views/sign-in';
import { UsersView } from './views/users';

type Identity = { token: string; role: Role };

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

export function App() {
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [checking, setChecking] = useState(() => session.token() !== null || signInArrival() !== null);
  const [notice, setNotice] = useState<string | undefined>();

  const signOut = (why?: string) => {
    const token = session.token();
    if (token) endSession(token);
    session.clear();
    setIdentity(null);
    setNotice(why);
  };

  // A one-time sign-in link (`#sign-in=<code>`) or Microsoft's answer (`#code=…&state=…`): both
  // come in the fragment, which no server logs. Spend it at once, whether the tab opens on it or
  // it is pasted into a tab already open, and take it out of the address bar.
  const followSignInRedirect = (): boolean => {
    const arrival = signInArrival();
    if (arrival === null) return false;
    history.replaceState(null, '', location.pathname + location.search);
    setChecking(true);
    const exchange =
      arrival.kind === 'link'
        ? redeemSignInLink(arrival.code)
        : arrival.kind === 'microsoft'
          ? finishMicrosoftSignIn(arrival.code, arrival.state)
          : Promise.reject(new Error(arrival.error));
    exchange.then(
      (opened) => {
        session.setToken(opened.token);
        setIdentity({ token: opened.token, role: opened.role });
        setChecking(false);
      },
      (error: Error) => {
        setChecking(false);
        signOut(
          arrival.kind === 'link'
            ? 'That sign-in link has been used or has expired (a link works once, for 10 minutes).'
            : `Microsoft sign-in did not complete: ${error.message}`,
        );
      },
    );
    return true;
  };

  useEffect(() => {
    const onHash = () => void followSignInRedirect();
    addEventListener('hashchange', onHash);
    if (followSignInRedirect()) return () => removeEventListener('hashchange', onHash);
    // A reload of the tab keeps the session: check the stored key again before showing anything.
    const token = session.token();
    if (token) {
      whoami(token).then(
        (me) => (setIdentity({ token, role: me.role }), setChecking(false)),
        (error) => {
          setChecking(false);
          signOut(
            error instanceof ApiError && error.status === 401 ? 'Your session has ended. Sign in again.' : undefined,
          );
        },
      );
    }
    return () => removeEventListener('hashchange', onHash);
  }, []);

  if (checking)
    return (
      <main aria-busy="true">
        <p class="muted">Checking your session…</p>
      </main>
    );
  if (!identity) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(token, role) => {
          session.setToken(token);
          setIdentity({ token, role });
        }}
      />
    );
  }
  return <SignedIn identity={identity} onSignOut={signOut} />;
}

type Arrival =
  | { kind: 'link'; code: string }
  | { kind: 'microsoft'; code: string; state: string }
  | { kind: 'refused'; error: string };

function signInArrival(): Arrival | null {
  const link = /^#sign-in=([A-Za-z0-9_-]{20,100})$/.exec(location.hash);
  if (link) return { kind: 'link', code: link[1] };
  const params = new URLSearchParams(location.hash.slice(1));
  const code = params.get('code');
  const state = params.get('state');
  if (code && state) return { kind: 'microsoft', code, state };
  if (params.get('error') && state)
    return { kind: 'refused', error: params.get('error_description')?.split('\n')[0] ?? params.get('error')! };
  return null;
}

function SignedIn(props: { identity: Identity; onSignOut: (why?: string) => void }) {
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
