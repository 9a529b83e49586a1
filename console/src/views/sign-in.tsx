import { useEffect, useState } from 'preact/hooks';
import { ApiError, signInOptions, startMicrosoftSignIn, whoami, type Role } from '../api/client';

/**
 * An API key, checked against `/whoami` before it is kept: a wrong key shows an error and
 * nothing else. The key stays in this tab's sessionStorage only.
 */
export function SignIn(props: { notice?: string; onSignedIn: (token: string, role: Role) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [microsoft, setMicrosoft] = useState(false);
  useEffect(() => void signInOptions().then((options) => setMicrosoft(options.microsoft)), []);

  const withMicrosoft = async () => {
    setBusy(true);
    setError(null);
    try {
      location.assign((await startMicrosoftSignIn()).authorizeUrl);
    } catch (failure) {
      setError(`Could not start the Microsoft sign-in: ${(failure as Error).message}`);
      setBusy(false);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await whoami(key.trim());
      props.onSignedIn(key.trim(), me.role);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'That API key was not accepted. Check it and try again.'
          : `Could not sign in: ${(failure as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>License Ledger</h1>
      <p class="muted">Dynamics 365 and Power Apps licenses: what you own, what is used, what you can save.</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="current-password"
          required
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
        {props.notice && !error ? <p class="notice">{props.notice}</p> : null}
        {error ? (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {microsoft ? (
        <div class="alternative">
          <p class="muted">People with a License Ledger role in Microsoft Entra ID:</p>
          <button type="button" onClick={withMicrosoft} disabled={busy}>
            Sign in with Microsoft
          </button>
        </div>
      ) : null}
      <p class="muted small">
        Your key is kept for this browser tab only and sent as a bearer token; it never appears in a link.
      </p>
    </main>
  );
}
