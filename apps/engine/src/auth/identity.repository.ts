import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { ApiTokenEntity, SessionEntity, UserEntity } from './auth.entities';

/** Users, sessions and API tokens in Postgres. */
@Injectable()
export class IdentityRepository {
  constructor(
    @InjectRepository(UserEntity) readonly users: Repository<UserEntity>,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectRepository(ApiTokenEntity) readonly tokens: Repository<ApiTokenEntity>,
  ) {}

  /** With its password hash (not selected by default). */
  findUserForLogin(username: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
  }

  findUser(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  async hasAnyUser(): Promise<boolean> {
    return (await this.users.count({ take: 1 })) > 0;
  }

  /** Insert unless the username exists (two engines booting at once both try). */
  async insertUserIfAbsent(user: Partial<UserEntity>): Promise<void> {
    await this.users.createQueryBuilder().insert().values(user).orIgnore().execute();
  }

  async setPassword(userId: string, hash: string): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash: hash, passwordChangedAt: new Date() });
  }

  async insertSession(s: SessionEntity): Promise<void> {
    await this.sessions.insert(s);
  }

  findSession(tokenHash: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ tokenHash });
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    await this.sessions.update({ tokenHash }, { lastSeenAt: at });
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.sessions.delete({ tokenHash });
  }

  /** Every session of a user but `keep` (a password change logs the other browsers out). */
  async deleteSessionsOf(userId: string, keep?: string): Promise<void> {
    const q = this.sessions.createQueryBuilder().delete().where('user_id = :userId', { userId });
    if (keep) q.andWhere('token_hash <> :keep', { keep });
    await q.execute();
  }

  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.sessions.delete({ expiresAt: LessThan(now) });
  }

  findTokenWithSecret(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.createQueryBuilder('t').addSelect('t.secretHash').where('t.id = :id', { id }).getOne();
  }

  async upsertToken(t: ApiTokenEntity): Promise<void> {
    await this.tokens.upsert(t, ['id']);
  }

  async touchToken(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id }, { lastUsedAt: at });
  }

  async revokeToken(id: string, userId: string | null, at: Date): Promise<boolean> {
    const where = userId ? { id, userId, revokedAt: IsNull() } : { id, revokedAt: IsNull() };
    const r = await this.tokens.update(where, { revokedAt: at });
    return (r.affected ?? 0) > 0;
  }

  tokensOf(userId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }
}
