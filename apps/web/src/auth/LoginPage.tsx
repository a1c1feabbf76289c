import {
  LOGIN_ERROR_PARAM,
  type CurrentUser,
  type LoginProviders,
  type OidcLoginError,
} from '@kelpie/shared-types';
import { useEffect, useState, type FormEvent } from 'react';
import { apiGet, apiSend, errorMessage } from '../api/client';

/** What a person should read when the engine sent the browser back from a failed OpenID Connect
 * login (the URL carries a code only; the details are in the engine's log and audit). */
const OIDC_FAILURES: Record<OidcLoginError, string> = {
  state_mismatch:
    'The single sign-on login was not started in this browser (or its cookie was lost). Please start it again.',
  state_expired: 'The single sign-on login took too long or was already used. Please start it again.',
  access_denied: 'The single sign-on login was cancelled or denied at the identity provider.',
  provider_refused: 'The identity provider refused the login. Ask your administrator if this persists.',
  invalid_answer:
    "The identity provider's answer could not be verified, so you were not logged in. Ask your administrator.",
  username_taken:
    'Your single sign-on username already belongs to another Kelpie user. An administrator must rename or remove that user first.',
  user_disabled: 'Your Kelpie user is disabled. Ask an administrator to enable it.',
  provider_unavailable: 'The identity provider cannot be reached right now. Try again in a moment.',
  not_configured: 'Single sign-on is not configured on this Kelpie.',
  failed: 'The single sign-on login failed. Please try again; the engine logged the cause.',
};

/** The sentence for the `?login_error=` the engine sent the browser back with, if any. */
function oidcFailureIn(search: string): string | null {
  const code = new URLSearchParams(search).get(LOGIN_ERROR_PARAM);
  if (code === null) return null;
  return Object.hasOwn(OIDC_FAILURES, code) ? OIDC_FAILURES[code as OidcLoginError] : OIDC_FAILURES.failed;
}

/** Drops `?login_error=` from the address bar, so that a reload does not repeat an old failure. */
function tidyLoginErrorFromUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(LOGIN_ERROR_PARAM)) return;
  url.searchParams.delete(LOGIN_ERROR_PARAM);
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

/** Local login (username and password; the engine answers with an HttpOnly session cookie), and
 * the identity provider's button when the engine has one: a full-page visit, the provider sends
 * the browser back to the engine, which opens the session and returns to the portal. */
export function LoginPage({ onLoggedIn }: { onLoggedIn(me: CurrentUser): void }) {
  const [oidc, setOidc] = useState<LoginProviders['oidc']>(null);
  useEffect(() => {
    // Without an answer the page still offers the password login.
    apiGet<LoginProviders>('/auth/providers')
      .then((p) => setOidc(p.oidc))
      .catch(() => undefined);
  }, []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(() => oidcFailureIn(window.location.search));
  useEffect(tidyLoginErrorFromUrl, []);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await apiSend<CurrentUser>('POST', '/auth/login', { username, password });
      onLoggedIn(res.body);
    } catch (err) {
      setError(errorMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="login-box" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Kelpie</h1>
        <p className="muted">Log in to manage the fleet.</p>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {oidc && (
          <a className="button" href={oidc.loginUrl}>
            Log in with {oidc.name}
          </a>
        )}
      </form>
    </main>
  );
}
