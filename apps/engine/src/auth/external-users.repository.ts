import { GrantObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { GrantEntity, GroupEntity, GroupMemberEntity, RoleEntity, UserEntity } from './auth.entities';

/** Users of an external identity provider (OpenID Connect login), and the groups and grants the
 * provider's group mapping keeps: the auth tables as the oidc feature writes them. */
@Injectable()
export class ExternalUsersRepository {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(GroupEntity) private readonly groups: Repository<GroupEntity>,
    @InjectRepository(GroupMemberEntity) private readonly members: Repository<GroupMemberEntity>,
    @InjectRepository(GrantEntity) private readonly grants: Repository<GrantEntity>,
    @InjectRepository(RoleEntity) private readonly roles: Repository<RoleEntity>,
  ) {}

  findExternal(issuer: string, subject: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ externalIssuer: issuer, externalSubject: subject });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  /** A new external user: no password hash, so password login can never succeed for it. */
  async insertExternal(u: {
    username: string;
    displayName: string | null;
    issuer: string;
    subject: string;
  }): Promise<UserEntity> {
    const id = randomUUID();
    await this.users.insert({
      id,
      username: u.username,
      displayName: u.displayName,
      passwordHash: null,
      passwordChangedAt: null,
      disabled: false,
      externalIssuer: u.issuer,
      externalSubject: u.subject,
    });
    return (await this.users.findOneBy({ id }))!;
  }

  async updateProfile(id: string, username: string, displayName: string | null): Promise<void> {
    await this.users.update({ id }, { username, displayName });
  }

  roleByName(name: string): Promise<RoleEntity | null> {
    return this.roles.findOneBy({ name });
  }

  /** The group of that name, created when absent (engines logging users in at once agree). */
  async ensureGroup(name: string): Promise<GroupEntity> {
    await this.groups.createQueryBuilder().insert().values({ id: randomUUID(), name }).orIgnore().execute();
    return (await this.groups.findOneBy({ name }))!;
  }

  /** The grant, unless the group already holds that role on that object. */
  async ensureGrant(groupId: string, roleId: string, type: GrantObjectType, objectId: string | null) {
    const where = { principalType: 'group' as const, principalId: groupId, roleId, objectType: type };
    const existing = await this.grants.find({ where });
    if (existing.some((g) => g.objectId === objectId)) return;
    await this.grants.insert({ id: randomUUID(), ...where, objectId });
  }

  /** Of the groups in `managed`, the user ends a member of exactly `memberOf`; other groups (kept by
   * administrators in Kelpie) are left as they are. */
  async syncMemberships(userId: string, managed: string[], memberOf: string[]): Promise<void> {
    await this.members.manager.transaction(async (m) => {
      const leave = managed.filter((id) => !memberOf.includes(id));
      if (leave.length) await m.delete(GroupMemberEntity, { userId, groupId: In(leave) });
      for (const groupId of memberOf)
        await m
          .createQueryBuilder()
          .insert()
          .into(GroupMemberEntity)
          .values({ groupId, userId })
          .orIgnore()
          .execute();
    });
  }
}
