import type { GrantObjectType, Permission, PermissionsOn } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, read } from '../api/client';

/** The caller's permissions on one object (undefined while loading: actions stay enabled, the
 * engine refuses anyway). */
export function usePermissions(objectType: GrantObjectType, objectId: string | undefined) {
  const q = useQuery({
    queryKey: ['permissions', objectType, objectId ?? ''],
    queryFn: async () =>
      (await read(
        api.GET('/api/v1/auth/permissions', { params: { query: { objectType, objectId: objectId! } } }),
      )) as PermissionsOn,
    enabled: !!objectId,
    staleTime: 60_000,
  });
  return q.data ? new Set<Permission>(q.data.permissions) : undefined;
}

/** Why an action is not offered to this user, or null when it is. */
export function missingPermission(held: Set<Permission> | undefined, needed: Permission): string | null {
  if (!held || held.has(needed)) return null;
  return `You lack the ${needed} permission on this VM; ask an administrator for a role that has it.`;
}
