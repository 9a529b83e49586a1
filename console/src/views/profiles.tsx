import { useEffect, useState } from 'preact/hooks';
import { profilePath, type Api } from '../api/client';
import type { Profile, ValidationCheck } from '../api/types';
import { useConsole } from '../ui/context';
import { dateTime } from '../ui/format';
import { adviceFor, UNAUDITED_TABLES_ADVICE } from './check-advice';
import { bodyOf, ProfileForm } from './profile-form';

type Outcome = { text: string; tone: 'ok' | 'error' } | null;

/** Profile setup: edit, validate (each check with what to do), publish; or create another. */
export function ProfilesView() {
  const { api, profile, profiles, canCommand, reloadProfiles } = useConsole();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [checks, setChecks] = useState<{ valid: boolean; checks: ValidationCheck[] } | null>(null);

  // Back from Microsoft's sign-in for a delegated connection: say how it went, then tidy the address.
  useEffect(() => {
    const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
    const signedIn = params.get('signedIn');
    const error = params.get('signInError');
    if (!signedIn && !error) return;
    history.replaceState(null, '', `${location.pathname}${location.search}#/profiles`);
    setOutcome(
      error
        ? { text: `Microsoft sign-in did not complete: ${error}`, tone: 'error' }
        : {
            text: `Signed in to Microsoft for the ${connectionLabel(signedIn!)}: validate the profile next.`,
            tone: 'ok',
          },
    );
  }, []);

  const signIn = (connection: 'subscription' | 'activity') =>
    act('Could not start the Microsoft sign-in', async () => {
      const { location: to } = await api.get<{ location: string }>(
        profilePath(profile.id, `/connections/${connection}/authorize?returnTo=console`),
      );
      window.location.assign(to);
      return 'Opening Microsoft’s sign-in…';
    });

  const act = async (what: string, run: () => Promise<string>) => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ text: await run(), tone: 'ok' });
    } catch (error) {
      setOutcome({ text: `${what}: ${(error as Error).message}`, tone: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="profiles-title">
      <h1 id="profiles-title">Profiles</h1>
      <table class="data" aria-label="Profiles">
        <thead>
          <tr>
            <th scope="col">Profile</th>
            <th scope="col">Status</th>
            <th scope="col">Validated</th>
            <th scope="col">Changed</th>
          </tr>
        </thead>
        <tbody>
          {profiles.map((p) => (
            <tr key={p.id} aria-current={p.id === profile.id ? 'true' : undefined}>
              <th scope="row">{p.displayName}</th>
              <td>{p.status}</td>
              <td>{p.validated ? 'yes' : 'no'}</td>
              <td>{dateTime(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canCommand && !creating ? (
        <button type="button" onClick={() => setCreating(true)}>
          New profile
        </button>
      ) : null}
      {outcome ? (
        <p class={outcome.tone === 'error' ? 'error' : 'outcome'} role={outcome.tone === 'error' ? 'alert' : 'status'}>
          {outcome.text}
        </p>
      ) : null}
      {creating ? (
        <CreateProfile api={api} onCreated={(id) => (setCreating(false), reloadProfiles(id))} />
      ) : (
        <>
          <h2>{profile.displayName}</h2>
          <p>
            {profile.status === 'published' ? 'Published: its jobs run daily.' : 'Draft: validate, then publish.'}{' '}
            {profile.validated ? 'Validated since its last change.' : 'Not validated since its last change.'}
          </p>
          <ProfileForm
            key={profile.updatedAt}
            profile={profile}
            canCommand={canCommand}
            busy={busy}
            onSubmit={(values) =>
              act('Could not save', async () => {
                const patch = bodyOf(values, profile);
                if (Object.keys(patch).length === 0) return 'Nothing changed.';
                await api.patch<Profile>(profilePath(profile.id), patch);
                setChecks(null);
                reloadProfiles();
                return 'Saved.';
              })
            }
          />
          <DelegatedConnections profile={profile} canCommand={canCommand} busy={busy} onSignIn={signIn} />
          {canCommand ? (
            <div class="actions">
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act('Could not validate', async () => {
                    const result = await api.post<{ valid: boolean; checks: ValidationCheck[] }>(
                      profilePath(profile.id, '/validate'),
                    );
                    setChecks(result);
                    reloadProfiles();
                    return result.valid
                      ? 'Every check passed: the profile can be published.'
                      : 'Some checks failed: see below.';
                  })
                }
              >
                Validate
              </button>
              <button
                type="button"
                disabled={busy || profile.status === 'published'}
                onClick={() =>
                  act('Could not publish', async () => {
                    await api.post<Profile>(profilePath(profile.id, '/publish'));
                    reloadProfiles();
                    return 'Published: its jobs now run daily.';
                  })
                }
              >
                Publish
              </button>
            </div>
          ) : null}
          {checks ? <Checks checks={checks.checks} /> : null}
        </>
      )}
    </section>
  );
}

const connectionLabel = (connection: string) =>
  connection === 'subscription' ? 'subscriptions connection' : 'activity connection';

/**
 * A delegated connection acts as a person: someone signs in to Microsoft for it once (the
 * service keeps the refresh token, encrypted); until then its checks fail. Saved secret first.
 */
function DelegatedConnections(props: {
  profile: Profile;
  canCommand: boolean;
  busy: boolean;
  onSignIn: (connection: 'subscription' | 'activity') => void;
}) {
  const { profile } = props;
  const delegated = [
    { connection: 'subscription' as const, c: profile.subscriptionConnection },
    ...(profile.activityConnection ? [{ connection: 'activity' as const, c: profile.activityConnection }] : []),
  ].filter((d) => d.c.permissionType === 'delegated');
  if (delegated.length === 0) return null;
  return (
    <div class="delegated" role="group" aria-label="Delegated sign-in">
      {delegated.map(({ connection, c }) => (
        <p key={connection} data-connection={connection} data-signed-in={String(c.signedIn === true)}>
          The {connectionLabel(connection)} uses delegated permissions:{' '}
          {c.signedIn ? 'signed in.' : 'nobody has signed in to Microsoft for it yet.'}{' '}
          {props.canCommand ? (
            <button
              type="button"
              disabled={props.busy || !c.hasClientSecret}
              title={c.hasClientSecret ? undefined : 'Save a client secret first'}
              onClick={() => props.onSignIn(connection)}
            >
              {c.signedIn ? 'Sign in again' : 'Sign in to Microsoft'} for the {connectionLabel(connection)}
            </button>
          ) : null}
        </p>
      ))}
    </div>
  );
}

/** No profile yet: an admin creates the first one; anyone else is told to ask an admin. */
export function FirstProfile(props: { api: Api; canCommand: boolean; onCreated: (id: string) => void }) {
  return (
    <section aria-labelledby="first-profile-title">
      <h1 id="first-profile-title">Profiles</h1>
      {props.canCommand ? (
        <>
          <p>No profile yet. A profile connects one Microsoft tenant: create it, validate it, publish it.</p>
          <CreateProfile api={props.api} onCreated={props.onCreated} />
        </>
      ) : (
        <p>No profile yet. An admin creates one; then its figures appear here.</p>
      )}
    </section>
  );
}

function CreateProfile(props: { api: Api; onCreated: (id: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      {error ? (
        <p class="error" role="alert">
          Could not create the profile: {error}
        </p>
      ) : null}
      <ProfileForm
        profile={null}
        canCommand
        busy={busy}
        onSubmit={async (values) => {
          setBusy(true);
          setError(null);
          try {
            const created = await props.api.post<Profile>('/profiles', bodyOf(values, null));
            props.onCreated(created.id);
          } catch (failure) {
            setError((failure as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      />
    </>
  );
}

function Checks(props: { checks: ValidationCheck[] }) {
  return (
    <table class="data" aria-label="Validation checks">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Result</th>
          <th scope="col">Error and what to do</th>
        </tr>
      </thead>
      <tbody>
        {props.checks.map((c, i) => (
          <tr key={i} data-check={c.name} data-environment={c.environmentUrl ?? ''} data-ok={String(c.ok)}>
            <th scope="row">
              {c.name}
              {c.environmentUrl ? <div class="small muted">{c.environmentUrl}</div> : null}
            </th>
            <td>
              <span class={`badge ${c.ok ? 'compliant' : 'failed'}`}>{c.ok ? 'passed' : 'failed'}</span>
            </td>
            <td>
              {c.error ? <p class="error">{c.error}</p> : null}
              {!c.ok ? <p data-field="advice">What to do: {adviceFor(c)}</p> : null}
              {c.warnings?.length ? (
                <>
                  <ul class="warnings">
                    {c.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                  {c.name === 'auditSettings' ? <p class="small">{UNAUDITED_TABLES_ADVICE}</p> : null}
                </>
              ) : null}
              {c.ok && !c.warnings?.length ? '—' : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
