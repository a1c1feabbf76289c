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
import { apiGet, apiSend, queryString } from '../api/client';

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
  users: () => apiGet<UserInfo[]>('/users'),
  roles: () => apiGet<RoleInfo[]>('/roles'),
  createRole: (body: { name: string; permissions: Permission[] }) =>
    apiSend<RoleInfo>('POST', '/roles', body),
  updateRole: (id: string, body: { name?: string; permissions?: Permission[] }) =>
    apiSend<RoleInfo>('PATCH', `/roles/${id}`, body),
  deleteRole: (id: string) => apiSend('DELETE', `/roles/${id}`),
  groups: () => apiGet<GroupInfo[]>('/groups'),
  createGroup: (name: string) => apiSend<GroupInfo>('POST', '/groups', { name }),
  deleteGroup: (id: string) => apiSend('DELETE', `/groups/${id}`),
  addMember: (groupId: string, userId: string) => apiSend('POST', `/groups/${groupId}/members`, { userId }),
  removeMember: (groupId: string, userId: string) =>
    apiSend('DELETE', `/groups/${groupId}/members/${userId}`),
  tokens: () => apiGet<ApiTokenInfo[]>('/auth/tokens'),
  grants: (objectType: GrantObjectType, objectId: string | null) =>
    apiGet<GrantInfo[]>(`/grants${queryString({ objectType, objectId })}`),
  inheritedGrants: (objectType: GrantObjectType, objectId: string) =>
    apiGet<GrantInfo[]>(`/grants${queryString({ objectType, objectId, inherited: true })}`),
  createUser: (body: { username: string; displayName?: string; password: string }) =>
    apiSend<UserInfo>('POST', '/users', body),
  setDisabled: (id: string, disabled: boolean) =>
    apiSend<UserInfo>('POST', `/users/${id}/${disabled ? 'disable' : 'enable'}`),
  resetPassword: (id: string, password: string) => apiSend('POST', `/users/${id}/password`, { password }),
  deleteUser: (id: string) => apiSend('DELETE', `/users/${id}`),
  grant: (body: {
    principalType: 'user' | 'group';
    principalId: string;
    role: string;
    objectType: GrantObjectType;
    objectId: string | null;
  }) => apiSend<GrantInfo>('POST', '/grants', body),
  revokeGrant: (id: string) => apiSend('DELETE', `/grants/${id}`),
  createToken: (body: { name: string; scope: TokenScope; expiresInDays: number }) =>
    apiSend<CreatedApiToken>('POST', '/auth/tokens', body),
  revokeToken: (id: string) => apiSend('DELETE', `/auth/tokens/${id}`),
};

/** Refetches the admin lists after a change (they are small and read whole). */
export function useAdminRefresh() {
  const qc = useQueryClient();
  return (): void => void qc.invalidateQueries({ queryKey: ['admin'] });
}
