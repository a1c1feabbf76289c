import type { Permission } from '@kelpie/shared-types';

/** Why the caller may not do what needs `permission` on this object (null: they may, or their
 * permissions are still loading — the engine refuses anyway). */
export function objectReason(
  held: ReadonlySet<Permission> | undefined,
  permission: Permission,
  noun: string,
): string | null {
  if (!held || held.has(permission)) return null;
  return `You lack the ${permission} permission on this ${noun}; ask an administrator for a role that has it.`;
}
