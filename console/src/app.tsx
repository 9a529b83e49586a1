/** Signing in: an API key, a one-time sign-in link or Microsoft; then the console itself (shell.tsx). */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, endSession, finishMicrosoftSignIn, redeemSignInLink, whoami } from './api/client';
import { session } from './session';
import { SignedIn, type Identity } from './shell';
import { SignIn } from './views/sign-in';

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
