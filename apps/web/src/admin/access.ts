import type { Permission } from '@kelpie/shared-types';
import { useSystemPermissions } from '../auth/AuthGate';

/** Why the caller may not do something needing `permission` on the system, or null when they may:
 * the text shown beside (and as the title of) the disabled control. */
export function systemReason(
  held: ReadonlySet<Permission>,
  permission: Permission,
  what: string,
): string | null {
  return held.has(permission)
    ? null
    : `You cannot ${what}: it needs the ${permission} permission on the system; ask an administrator.`;
}

/** The reason the caller may not administer users, roles and grants (null: they may). */
export function useUserAdminReason(what = 'administer users'): string | null {
  return systemReason(useSystemPermissions(), 'user.manage', what);
}
