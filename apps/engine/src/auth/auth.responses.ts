import {
  ApiTokenInfo,
  GrantInfo,
  GrantObjectType,
  GroupInfo,
  Permission,
  RoleInfo,
  TokenScope,
  UserInfo,
  values,
} from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { isoOrNull } from '../common/http/iso-or-null';
import type { ApiTokenEntity, GrantEntity, GroupEntity, RoleEntity, UserEntity } from './auth.entities';

/** A user as the directory answers it: never the password hash nor the identity provider's subject. */
@ApiSchema({ name: 'User' })
export class UserResponse implements UserInfo {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  passwordChangedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The OpenID Connect issuer of an external user (no password login); null for a local user.',
  })
  externalIssuer!: string | null;
}

export function mapUser(u: UserEntity): UserResponse {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    passwordChangedAt: isoOrNull(u.passwordChangedAt),
    externalIssuer: u.externalIssuer,
  };
}

@ApiSchema({ name: 'Group' })
export class GroupResponse implements Omit<GroupInfo, 'memberIds'> {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export function mapGroup(g: GroupEntity): GroupResponse {
  return { id: g.id, name: g.name };
}

/** A group with its members' user ids (the groups list answers them whole: groups are few). */
@ApiSchema({ name: 'GroupWithMembers' })
export class GroupWithMembersResponse extends GroupResponse implements GroupInfo {
  @ApiProperty({ type: String, format: 'uuid', isArray: true })
  memberIds!: string[];
}

export function mapGroupWithMembers(g: GroupEntity, memberIds: string[]): GroupWithMembersResponse {
  return { ...mapGroup(g), memberIds };
}

@ApiSchema({ name: 'Role' })
export class RoleResponse implements RoleInfo {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'VmOperator' })
  name!: string;

  @ApiProperty({ enum: Object.values(Permission), isArray: true })
  permissions!: Permission[];

  @ApiProperty({ description: 'Built-in roles cannot be edited or deleted.' })
  builtin!: boolean;
}

export function mapRole(r: RoleEntity): RoleResponse {
  return { id: r.id, name: r.name, permissions: r.permissions, builtin: r.builtin };
}

@ApiSchema({ name: 'Grant' })
export class GrantResponse implements GrantInfo {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['user', 'group'] })
  principalType!: 'user' | 'group';

  @ApiProperty({ format: 'uuid' })
  principalId!: string;

  @ApiProperty({ format: 'uuid' })
  roleId!: string;

  @ApiProperty({ enum: values(GrantObjectType) })
  objectType!: GrantObjectType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  objectId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export function mapGrant(g: GrantEntity): GrantResponse {
  return {
    id: g.id,
    principalType: g.principalType,
    principalId: g.principalId,
    roleId: g.roleId,
    objectType: g.objectType,
    objectId: g.objectId,
    createdAt: g.createdAt.toISOString(),
  };
}

/** An API token as its owner lists it: never the secret's hash. */
@ApiSchema({ name: 'ApiToken' })
export class ApiTokenResponse implements ApiTokenInfo {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: values(TokenScope) })
  scope!: TokenScope;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;
}

export function mapApiToken(t: ApiTokenEntity): ApiTokenResponse {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: isoOrNull(t.lastUsedAt),
    revokedAt: isoOrNull(t.revokedAt),
  };
}
