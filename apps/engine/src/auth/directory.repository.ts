import { GrantObjectType, Permission } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { GrantEntity, GroupEntity, GroupMemberEntity, RoleEntity, UserEntity } from './auth.entities';

/** A change that may leave fewer administrators: a grant removed, a group deleted, a member leaving,
 * a role losing `user.manage`. */
export interface AdminChange {
  grant?: string;
  group?: string;
  member?: { groupId: string; userId: string };
  roleWithoutUserManage?: string;
}

/** "kadm": serialises changes that can remove an administrator. */
const ADMIN_CHANGES_LOCK = 0x6b61646d;

/** Roles, grants and groups. */
@Injectable()
export class DirectoryRepository {
  constructor(
    @InjectRepository(RoleEntity) readonly roles: Repository<RoleEntity>,
    @InjectRepository(GrantEntity) readonly grants: Repository<GrantEntity>,
    @InjectRepository(GroupEntity) readonly groups: Repository<GroupEntity>,
    @InjectRepository(GroupMemberEntity) readonly members: Repository<GroupMemberEntity>,
  ) {}

  async upsertBuiltinRole(name: string, permissions: Permission[]): Promise<void> {
    await this.roles
      .createQueryBuilder()
      .insert()
      .values({ id: randomUUID(), name, permissions, builtin: true })
      .orUpdate(['permissions', 'builtin'], ['name'])
      .execute();
  }

  /** Users who may administer users: `user.manage` on the system through a grant to them or to one
   * of their groups (enabled or not: the caller decides), as they would be after `change`. */
  async userAdminIds(change: AdminChange = {}): Promise<Set<string>> {
    const roles = (
      await this.roles
        .createQueryBuilder('r')
        .where(':permission = ANY(r.permissions)', { permission: Permission.UserManage })
        .getMany()
    ).filter((r) => r.id !== change.roleWithoutUserManage);
    if (!roles.length) return new Set();
    const grants = (
      await this.grants.find({
        where: { objectType: GrantObjectType.System, roleId: In(roles.map((r) => r.id)) },
      })
    ).filter(
      (g) => g.id !== change.grant && !(g.principalType === 'group' && g.principalId === change.group),
    );
    const groupIds = grants.filter((g) => g.principalType === 'group').map((g) => g.principalId);
    const gone = change.member;
    const members = (
      groupIds.length ? await this.members.find({ where: { groupId: In(groupIds) } }) : []
    ).filter((m) => !(m.groupId === gone?.groupId && m.userId === gone.userId));
    return new Set([
      ...grants.filter((g) => g.principalType === 'user').map((g) => g.principalId),
      ...members.map((m) => m.userId),
    ]);
  }

  /** Runs `work` alone among the engines' changes that could remove administrators (two admins
   * deleting each other at once would otherwise both see the other remain). */
  serializeAdminChanges<T>(work: () => Promise<T>): Promise<T> {
    // The transaction only holds the lock (released at its end); `work` uses its own connections.
    return this.grants.manager.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CHANGES_LOCK]);
      return work();
    });
  }

  /** The user and the grants made to them (grants name their principal without a foreign key);
   * sessions, tokens and memberships go with the row (ON DELETE CASCADE). */
  async deleteUser(userId: string): Promise<void> {
    await this.grants.manager.transaction(async (m) => {
      await m.delete(GrantEntity, { principalType: 'user', principalId: userId });
      await m.delete(UserEntity, { id: userId });
    });
  }

  /** The group, its members and the grants made to it (grants name their principal without a
   * foreign key). */
  async deleteGroup(groupId: string): Promise<void> {
    await this.grants.manager.transaction(async (m) => {
      await m.delete(GrantEntity, { principalType: 'group', principalId: groupId });
      await m.delete(GroupEntity, { id: groupId });
    });
  }

  /** Whether the membership existed. */
  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return ((await this.members.delete({ groupId, userId })).affected ?? 0) > 0;
  }

  roleByName(name: string): Promise<RoleEntity | null> {
    return this.roles.findOneBy({ name });
  }

  async grantSuperUser(userId: string): Promise<void> {
    const role = await this.roleByName('SuperUser');
    const exists = await this.grants.findOneBy({
      principalId: userId,
      roleId: role!.id,
      objectType: 'system',
    });
    if (!exists)
      await this.grants.insert({
        id: randomUUID(),
        principalType: 'user',
        principalId: userId,
        roleId: role!.id,
        objectType: GrantObjectType.System,
        objectId: null,
      });
  }
}
