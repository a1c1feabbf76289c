import type { CurrentUser, LoginProviders } from '@kelpie/shared-types';
import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, read, send } from '../api/client';

/** Local login (username and password; the engine answers with an HttpOnly session cookie), and
 * the identity provider's button when the engine has one: a full-page visit, the provider sends
 * the browser back to the engine, which opens the session and returns to the portal. */
export function LoginPage({ onLoggedIn }: { onLoggedIn(me: CurrentUser): void }) {
  const [oidc, setOidc] = useState<LoginProviders['oidc']>(null);
  useEffect(() => {
    // Without an answer the page still offers the password login.
    read(api.GET('/api/v1/auth/providers'))
      .then((p) => setOidc(p.oidc))
      .catch(() => undefined);
  }, []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await send((c) => api.POST('/api/v1/auth/login', { body: { username, password }, ...c }));
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
