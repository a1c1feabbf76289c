import { ErrorCode, GrantObjectType, Permission } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  conflict,
  DomainError,
  invalidState,
  notFound,
  validationFailed,
} from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { AccessRepository } from './access.repository';
import { GrantEntity, GroupEntity, RoleEntity, UserEntity } from './auth.entities';
import { CreateGrantDto, CreateRoleDto, CreateUserDto, GrantListQuery, UpdateRoleDto } from './auth.dto';
import { GroupWithMembersResponse, mapGroupWithMembers } from './auth.responses';
import { assertLocalUser, assertPasswordQuality } from './credentials.service';
import { AdminChange, DirectoryRepository } from './directory.repository';
import { IdentityRepository } from './identity.repository';
import { hashPassword } from './passwords';

/** Administration of users, groups, roles and grants; every change is an audit event. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly dir: DirectoryRepository,
    private readonly access: AccessRepository,
    private readonly events: EventsService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  listUsers(): Promise<UserEntity[]> {
    return this.identity.users.find({ order: { username: 'ASC' } });
  }

  async createUser(dto: CreateUserDto): Promise<UserEntity> {
    assertPasswordQuality(dto.password, dto.username, 'password');
    if (await this.identity.users.findOneBy({ username: dto.username }))
      throw conflict(`user ${dto.username} already exists`, [
        { field: 'username', reason: 'already exists' },
      ]);
    const user = this.identity.users.create({
      id: randomUUID(),
      username: dto.username,
      displayName: dto.displayName ?? null,
      passwordHash: await hashPassword(dto.password),
      passwordChangedAt: new Date(),
      disabled: false,
    });
    await this.identity.users.insert(user);
    await this.audit('user.created', `user ${user.username} created`);
    return (await this.identity.findUser(user.id))!;
  }

  async setDisabled(id: string, disabled: boolean, callerId: string): Promise<UserEntity> {
    const user = await this.identity.findUser(id);
    if (!user) throw notFound('user', id);
    const change = () => this.identity.users.update({ id }, { disabled });
    if (disabled)
      await this.dir.serializeAdminChanges(async () => {
        await this.assertAdminsRemain(user, callerId, 'disable');
        await change();
      });
    else await change();
    if (disabled) await this.identity.deleteSessionsOf(id);
    await this.audit(
      `user.${disabled ? 'disabled' : 'enabled'}`,
      `user ${user.username} ${disabled ? 'disabled' : 'enabled'}`,
    );
    return (await this.identity.findUser(id))!;
  }

  /** An administrator sets someone's password (forgotten, compromised): their sessions end. */
  async resetPassword(id: string, password: string): Promise<void> {
    const user = await this.identity.findUser(id);
    if (!user) throw notFound('user', id);
    assertLocalUser(user);
    assertPasswordQuality(password, user.username, 'password');
    await this.identity.setPassword(id, await hashPassword(password));
    await this.identity.deleteSessionsOf(id);
    await this.audit('user.password-reset', `password of user ${user.username} reset by an administrator`);
  }

  async deleteUser(id: string, callerId: string): Promise<void> {
    const user = await this.identity.findUser(id);
    if (!user) throw notFound('user', id);
    await this.dir.serializeAdminChanges(async () => {
      await this.assertAdminsRemain(user, callerId, 'delete');
      await this.dir.deleteUser(id);
    });
    await this.audit('user.deleted', `user ${user.username} deleted`);
  }

  /** Nobody locks the system out of its own administration: not by removing themselves, and not
   * by removing the last enabled user who may manage users. */
  private async assertAdminsRemain(user: UserEntity, callerId: string, action: string): Promise<void> {
    if (user.id === callerId) throw invalidState(`you cannot ${action} yourself: ask another administrator`);
    await this.assertAnAdminRemains(await this.dir.userAdminIds(), user.id);
  }

  /** Some enabled user other than `leaving` is among `admins`. */
  private async assertAnAdminRemains(admins: Set<string>, leaving?: string): Promise<void> {
    const remaining = (await this.listUsers()).filter(
      (u) => admins.has(u.id) && !u.disabled && u.id !== leaving,
    );
    if (remaining.length === 0)
      throw invalidState(
        'this would leave no enabled user who may manage users: grant another user a role with user.manage first',
      );
  }

  listRoles(): Promise<RoleEntity[]> {
    return this.dir.roles.find({ order: { builtin: 'DESC', name: 'ASC' } });
  }

  async createRole(dto: CreateRoleDto): Promise<RoleEntity> {
    if (await this.dir.roleByName(dto.name))
      throw conflict(`role ${dto.name} already exists`, [{ field: 'name', reason: 'already exists' }]);
    const role = {
      id: randomUUID(),
      name: dto.name,
      permissions: [...new Set(dto.permissions)],
      builtin: false,
    };
    await this.dir.roles.insert(role);
    await this.audit('role.created', `role ${role.name} created (${role.permissions.join(', ')})`);
    return role;
  }

  /** Renames a custom role or replaces its permissions; its grants carry the new set at once. */
  async updateRole(id: string, dto: UpdateRoleDto): Promise<RoleEntity> {
    if (dto.name === undefined && dto.permissions === undefined)
      throw validationFailed('give a new name or a new set of permissions', [
        { field: 'name', reason: 'name or permissions is required' },
        { field: 'permissions', reason: 'name or permissions is required' },
      ]);
    const role = await this.dir.roles.findOneBy({ id });
    if (!role) throw notFound('role', id);
    if (role.builtin)
      throw invalidState(`role ${role.name} is built in: its permissions are fixed (create a custom role)`);
    const name = dto.name ?? role.name;
    if (name !== role.name) await this.assertRenamable(role, name);
    const permissions = dto.permissions ? [...new Set(dto.permissions)] : role.permissions;
    const save = () => this.dir.roles.update({ id }, { name, permissions });
    // Taking user.manage away from a role could leave nobody to administer users.
    if (role.permissions.includes(Permission.UserManage) && !permissions.includes(Permission.UserManage))
      await this.keepingAnAdmin({ roleWithoutUserManage: id }, save);
    else await save();
    await this.audit(
      'role.updated',
      `role ${role.name}${name !== role.name ? ` renamed ${name}` : ''} (${permissions.join(', ')})`,
    );
    return { ...role, name, permissions };
  }

  private async assertRenamable(role: RoleEntity, name: string): Promise<void> {
    if (await this.dir.roleByName(name))
      throw conflict(`role ${name} already exists`, [{ field: 'name', reason: 'already exists' }]);
    // The identity provider's group mapping names roles: a rename would silently drop its grants.
    const mapped = this.config.oidc?.groupRoles.find((m) => m.role === role.name);
    if (mapped)
      throw invalidState(
        `role ${role.name} is named by KELPIE_OIDC_GROUP_ROLES (group ${mapped.group}): change the mapping first`,
        [{ field: 'name', reason: 'named by the OpenID Connect group mapping' }],
      );
  }

  async deleteRole(id: string): Promise<void> {
    const role = await this.dir.roles.findOneBy({ id });
    if (!role) throw notFound('role', id);
    if (role.builtin) throw new DomainError(ErrorCode.InvalidState, `role ${role.name} is built in`);
    if (await this.dir.grants.countBy({ roleId: id }))
      throw new DomainError(
        ErrorCode.HasChildren,
        `role ${role.name} is still granted: remove its grants first`,
      );
    await this.dir.roles.delete({ id });
    await this.audit('role.deleted', `role ${role.name} deleted`);
  }

  listGrants(q: GrantListQuery): Promise<GrantEntity[]> {
    if (q.inherited) return this.inheritedGrants(q);
    return this.dir.grants.find({
      where: {
        ...(q.objectType ? { objectType: q.objectType } : {}),
        ...(q.objectId ? { objectId: q.objectId } : {}),
        ...(q.principalId ? { principalId: q.principalId } : {}),
      },
      order: { createdAt: 'ASC' },
    });
  }

  /** The grants on the object's ancestors and on the system: they apply to the object too. */
  private async inheritedGrants(q: GrantListQuery): Promise<GrantEntity[]> {
    const { objectType: type, objectId: id } = q;
    if (!type || type === GrantObjectType.System || !id)
      throw validationFailed(
        'inherited grants are those of an object of the tree: give objectType and objectId',
        [{ field: 'inherited', reason: 'needs objectType (not system) and objectId' }],
      );
    const chain = await this.access.chain(type, id);
    if (!chain) throw notFound(type, id);
    const above = chain.filter((c) => !(c.type === type && c.id === id));
    const principal = q.principalId ? { principalId: q.principalId } : {};
    return this.dir.grants.find({
      where: [
        { objectType: GrantObjectType.System, ...principal },
        ...above.map((c) => ({ objectType: c.type, objectId: c.id, ...principal })),
      ],
      order: { createdAt: 'ASC' },
    });
  }

  async createGrant(dto: CreateGrantDto): Promise<GrantEntity> {
    const role = await this.dir.roleByName(dto.role);
    if (!role)
      throw new DomainError(ErrorCode.ValidationFailed, `role ${dto.role} does not exist`, [
        { field: 'role', reason: 'unknown role' },
      ]);
    const principal =
      dto.principalType === 'user'
        ? await this.identity.findUser(dto.principalId)
        : await this.dir.groups.findOneBy({ id: dto.principalId });
    if (!principal) throw notFound(dto.principalType, dto.principalId);
    const objectId = dto.objectType === GrantObjectType.System ? null : dto.objectId!;
    if (
      objectId &&
      !(await this.access.chain(dto.objectType as Exclude<GrantObjectType, 'system'>, objectId))
    )
      throw notFound(dto.objectType, objectId);
    const grant: GrantEntity = {
      id: randomUUID(),
      principalType: dto.principalType,
      principalId: dto.principalId,
      roleId: role.id,
      objectType: dto.objectType,
      objectId,
      createdAt: new Date(),
    };
    await this.dir.grants.insert(grant);
    await this.audit(
      'grant.created',
      `role ${role.name} granted to ${dto.principalType} ${dto.principalId} on ${dto.objectType}${objectId ? ` ${objectId}` : ''}`,
    );
    return grant;
  }

  async deleteGrant(id: string): Promise<void> {
    const grant = await this.dir.grants.findOneBy({ id });
    if (!grant) throw notFound('grant', id);
    await this.keepingAnAdmin({ grant: id }, () => this.dir.grants.delete({ id }));
    await this.audit('grant.deleted', `grant ${id} removed from ${grant.principalType} ${grant.principalId}`);
  }

  /** Runs `work` unless `change` would leave no enabled user who may manage users. */
  private async keepingAnAdmin(change: AdminChange, work: () => Promise<unknown>): Promise<void> {
    await this.dir.serializeAdminChanges(async () => {
      const admins = await this.dir.userAdminIds();
      // Only a change that unmade an administrator can leave none.
      const after = await this.dir.userAdminIds(change);
      if (after.size < admins.size) await this.assertAnAdminRemains(after);
      await work();
    });
  }

  async listGroups(): Promise<GroupWithMembersResponse[]> {
    const [groups, members] = await Promise.all([
      this.dir.groups.find({ order: { name: 'ASC' } }),
      this.dir.members.find(),
    ]);
    return groups.map((g) =>
      mapGroupWithMembers(
        g,
        members.filter((m) => m.groupId === g.id).map((m) => m.userId),
      ),
    );
  }

  async deleteGroup(id: string): Promise<void> {
    const group = await this.dir.groups.findOneBy({ id });
    if (!group) throw notFound('group', id);
    await this.keepingAnAdmin({ group: id }, () => this.dir.deleteGroup(id));
    await this.audit('group.deleted', `group ${group.name} deleted with its grants`);
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    const group = await this.dir.groups.findOneBy({ id: groupId });
    if (!group) throw notFound('group', groupId);
    const user = await this.identity.findUser(userId);
    let removed = false;
    await this.keepingAnAdmin({ member: { groupId, userId } }, async () => {
      removed = await this.dir.removeMember(groupId, userId);
    });
    if (!removed)
      throw new DomainError(ErrorCode.NotFound, `user ${userId} is not a member of group ${group.name}`, [
        { reason: 'not a member', ref: { type: 'user', id: userId } },
      ]);
    await this.audit(
      'group.member-removed',
      `user ${user?.username ?? userId} removed from group ${group.name}`,
    );
  }

  async createGroup(name: string): Promise<GroupEntity> {
    if (await this.dir.groups.findOneBy({ name }))
      throw conflict(`group ${name} already exists`, [{ field: 'name', reason: 'already exists' }]);
    const group = { id: randomUUID(), name };
    await this.dir.groups.insert(group);
    await this.audit('group.created', `group ${name} created`);
    return group;
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    const group = await this.dir.groups.findOneBy({ id: groupId });
    if (!group) throw notFound('group', groupId);
    const user = await this.identity.findUser(userId);
    if (!user) throw notFound('user', userId);
    await this.dir.members.upsert({ groupId, userId }, ['groupId', 'userId']);
    await this.audit('group.member-added', `user ${user.username} added to group ${group.name}`);
  }

  private async audit(type: string, message: string): Promise<void> {
    await this.events.record({ type, message });
  }
}
