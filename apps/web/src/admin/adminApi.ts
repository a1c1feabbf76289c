import type {
  ApiTokenInfo,
  CreatedApiToken,
  GrantInfo,
  GrantObjectType,
  GroupInfo,
  Permission,
  RoleInfo,
  TokenScope,
  UserInfo,
} from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { api, as, read, send } from '../api/client';

/** The identity endpoints the admin pages use (lists the API answers whole, and their changes). */
export const adminKeys = {
  users: ['admin', 'users'] as const,
  roles: ['admin', 'roles'] as const,
  groups: ['admin', 'groups'] as const,
  tokens: ['admin', 'tokens'] as const,
  grants: (objectType: GrantObjectType, objectId: string | null) =>
    ['admin', 'grants', objectType, objectId ?? ''] as const,
  inheritedGrants: (objectType: GrantObjectType, objectId: string) =>
    ['admin', 'grants', objectType, objectId, 'inherited'] as const,
};

export const adminApi = {
  users: () => read(api.GET('/api/v1/users'), as<UserInfo[]>()),
  roles: () => read(api.GET('/api/v1/roles'), as<RoleInfo[]>()),
  createRole: (body: { name: string; permissions: Permission[] }) =>
    send((c) => api.POST('/api/v1/roles', { body, ...c }), as<RoleInfo>()),
  updateRole: (id: string, body: { name?: string; permissions?: Permission[] }) =>
    send((c) => api.PATCH('/api/v1/roles/{id}', { params: { path: { id } }, body, ...c }), as<RoleInfo>()),
  deleteRole: (id: string) =>
    send((c) => api.DELETE('/api/v1/roles/{id}', { params: { path: { id } }, ...c })),
  groups: () => read(api.GET('/api/v1/groups'), as<GroupInfo[]>()),
  createGroup: (name: string) => send((c) => api.POST('/api/v1/groups', { body: { name }, ...c })),
  deleteGroup: (id: string) =>
    send((c) => api.DELETE('/api/v1/groups/{id}', { params: { path: { id } }, ...c })),
  addMember: (groupId: string, userId: string) =>
    send((c) =>
      api.POST('/api/v1/groups/{id}/members', { params: { path: { id: groupId } }, body: { userId }, ...c }),
    ),
  removeMember: (groupId: string, userId: string) =>
    send((c) =>
      api.DELETE('/api/v1/groups/{id}/members/{userId}', { params: { path: { id: groupId, userId } }, ...c }),
    ),
  tokens: () => read(api.GET('/api/v1/auth/tokens'), as<ApiTokenInfo[]>()),
  grants: (objectType: GrantObjectType, objectId: string | null) =>
    read(
      api.GET('/api/v1/grants', { params: { query: { objectType, objectId: objectId ?? undefined } } }),
      as<GrantInfo[]>(),
    ),
  inheritedGrants: (objectType: GrantObjectType, objectId: string) =>
    read(
      api.GET('/api/v1/grants', { params: { query: { objectType, objectId, inherited: true } } }),
      as<GrantInfo[]>(),
    ),
  createUser: (body: { username: string; displayName?: string; password: string }) =>
    send((c) => api.POST('/api/v1/users', { body, ...c }), as<UserInfo>()),
  setDisabled: (id: string, disabled: boolean) =>
    send((c) =>
      disabled
        ? api.POST('/api/v1/users/{id}/disable', { params: { path: { id } }, ...c })
        : api.POST('/api/v1/users/{id}/enable', { params: { path: { id } }, ...c }),
    ),
  resetPassword: (id: string, password: string) =>
    send((c) =>
      api.POST('/api/v1/users/{id}/password', { params: { path: { id } }, body: { password }, ...c }),
    ),
  deleteUser: (id: string) =>
    send((c) => api.DELETE('/api/v1/users/{id}', { params: { path: { id } }, ...c })),
  grant: (body: {
    principalType: 'user' | 'group';
    principalId: string;
    role: string;
    objectType: GrantObjectType;
    objectId: string | null;
  }) => send((c) => api.POST('/api/v1/grants', { body, ...c }), as<GrantInfo>()),
  revokeGrant: (id: string) =>
    send((c) => api.DELETE('/api/v1/grants/{id}', { params: { path: { id } }, ...c })),
  createToken: (body: { name: string; scope: TokenScope; expiresInDays: number }) =>
    send((c) => api.POST('/api/v1/auth/tokens', { body, ...c }), as<CreatedApiToken>()),
  revokeToken: (id: string) =>
    send((c) => api.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id } }, ...c })),
};

/** Refetches the admin lists after a change (they are small and read whole). */
export function useAdminRefresh() {
  const qc = useQueryClient();
  return (): void => void qc.invalidateQueries({ queryKey: ['admin'] });
}
