import type { CurrentUser, Permission } from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, read, send, UNAUTHORIZED_EVENT } from '../api/client';
import { LoginPage } from './LoginPage';

export interface AuthState {
  me: CurrentUser;
  logout(): Promise<void>;
}

/** Exported for component tests, which stand in for a logged-in user. */
export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthGate');
  return ctx;
}

/** Who is logged in (null outside the gate). */
export function useCurrentUser(): CurrentUser | null {
  return useContext(AuthContext)?.me ?? null;
}

/** The caller's permissions on the system (empty outside the gate, e.g. in component tests). */
export function useSystemPermissions(): ReadonlySet<Permission> {
  const ctx = useContext(AuthContext);
  return new Set(ctx?.me.systemPermissions ?? []);
}

/** Shows the login page until the engine knows who we are; the rest of the portal (and its live
 * stream) only starts once logged in, and stops when the session ends. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<CurrentUser | null | undefined>(undefined);
  const queryClient = useQueryClient();

  useEffect(() => {
    read(api.GET('/api/v1/auth/me'))
      .then(setMe)
      .catch((err: unknown) => setMe(err instanceof ApiError && err.status === 401 ? null : null));
    const lost = () => setMe(null);
    window.addEventListener(UNAUTHORIZED_EVENT, lost);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, lost);
  }, []);

  const logout = useCallback(async () => {
    await send((c) => api.POST('/api/v1/auth/logout', { ...c })).catch(() => undefined);
    queryClient.clear();
    setMe(null);
  }, [queryClient]);

  if (me === undefined) return <p className="page muted">Loading…</p>;
  if (me === null) return <LoginPage onLoggedIn={setMe} />;
  return <AuthContext.Provider value={{ me, logout }}>{children}</AuthContext.Provider>;
}
