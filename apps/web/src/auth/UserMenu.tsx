import { useAuth } from './AuthGate';

/** Who is logged in, and the way out. */
export function UserMenu() {
  const { me, logout } = useAuth();
  return (
    <span className="user-menu">
      <span aria-label="Logged in as">{me.displayName ?? me.username}</span>
      {me.via === 'session' && (
        <button type="button" className="button small" onClick={() => void logout()}>
          Log out
        </button>
      )}
    </span>
  );
}
