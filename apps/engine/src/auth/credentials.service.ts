import {
  API_TOKEN_PATTERN,
  ApiTokenInfo,
  CreatedApiToken,
  ErrorCode,
  TokenScope,
} from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { ApiTokenEntity, UserEntity } from './auth.entities';
import { mapApiToken } from './auth.responses';
import { IdentityRepository } from './identity.repository';
import { LoginThrottle } from './login-throttle';
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from './passwords';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** lastSeenAt / lastUsedAt are written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export const unauthorized = (message = 'log in or send an API token (Authorization: Bearer)') =>
  new DomainError(ErrorCode.Unauthorized, message);

export interface Authenticated {
  user: UserEntity;
  tokenId: string | null;
  readOnly: boolean;
  sessionHash: string | null;
}

/** Passwords, sessions and API tokens: who is calling. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly throttle: LoginThrottle,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** Checks the password and opens a session; answers the cookie value (shown to the browser only). */
  async login(
    username: string,
    password: string,
    address: string,
  ): Promise<{ cookie: string; user: UserEntity }> {
    await this.throttle.assertAllowed(username, address);
    const user = await this.repo.findUserForLogin(username);
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok || user.disabled) {
      await this.throttle.recordFailure(username, address);
      throw unauthorized('invalid username or password');
    }
    await this.throttle.recordSuccess(username, address);
    return { cookie: await this.openSession(user.id, address), user };
  }

  /** A new session for a user already authenticated (password or identity provider): answers the
   * cookie value, which only the browser ever sees. */
  async openSession(userId: string, address: string): Promise<string> {
    // Ended sessions are removed here rather than by a timer: the table only grows through logins.
    await this.repo.deleteExpiredSessions(new Date());
    const cookie = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.repo.insertSession({
      tokenHash: sha256(cookie),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.auth.sessionMaxMs),
      sourceAddress: address.slice(0, 64),
    });
    return cookie;
  }

  async logout(sessionHash: string): Promise<void> {
    await this.repo.deleteSession(sessionHash);
  }

  /** A live session's user; expired (idle or absolute) sessions are deleted and refused. */
  async fromSession(cookie: string): Promise<Authenticated> {
    const hash = sha256(cookie);
    const s = await this.repo.findSession(hash);
    const now = Date.now();
    if (!s) throw unauthorized('the session has ended: log in again');
    if (s.expiresAt.getTime() <= now || s.lastSeenAt.getTime() + this.config.auth.sessionIdleMs <= now) {
      await this.repo.deleteSession(hash);
      throw unauthorized('the session has expired: log in again');
    }
    const user = await this.liveUser(s.userId);
    if (now - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.repo.touchSession(hash, new Date(now));
    return { user, tokenId: null, readOnly: false, sessionHash: hash };
  }

  /** Checked against the database on every request, so a revoked token stops at once. */
  async fromToken(token: string): Promise<Authenticated> {
    const m = API_TOKEN_PATTERN.exec(token);
    if (!m) throw unauthorized('malformed API token');
    const id = hexToUuid(m[1]!);
    const t = await this.repo.findTokenWithSecret(id);
    if (!t || !safeEqual(t.secretHash, sha256(m[2]!))) throw unauthorized('unknown API token');
    const now = Date.now();
    if (t.revokedAt) throw unauthorized('this API token has been revoked');
    if (t.expiresAt.getTime() <= now) throw unauthorized('this API token has expired');
    const user = await this.liveUser(t.userId);
    if (!t.lastUsedAt || now - t.lastUsedAt.getTime() > TOUCH_EVERY_MS)
      await this.repo.touchToken(t.id, new Date(now));
    return { user, tokenId: t.id, readOnly: t.scope === TokenScope.ReadOnly, sessionHash: null };
  }

  private async liveUser(id: string): Promise<UserEntity> {
    const user = await this.repo.findUser(id);
    if (!user || user.disabled) throw unauthorized('this user is disabled or gone');
    return user;
  }

  async changePassword(
    userId: string,
    current: string,
    next: string,
    keepSession: string | null,
    address: string,
  ): Promise<void> {
    const user = await this.repo.findUser(userId);
    if (!user) throw unauthorized();
    assertLocalUser(user);
    await this.throttle.assertAllowed(user.username, address);
    const withHash = await this.repo.findUserForLogin(user.username);
    if (withHash?.passwordHash && !(await verifyPassword(withHash.passwordHash, current))) {
      await this.throttle.recordFailure(user.username, address);
      throw new DomainError(ErrorCode.ValidationFailed, 'the current password is wrong', [
        { field: 'currentPassword', reason: 'does not match' },
      ]);
    }
    assertPasswordQuality(next, user.username);
    await this.repo.setPassword(userId, await hashPassword(next));
    await this.repo.deleteSessionsOf(userId, keepSession ?? undefined);
  }

  async createToken(
    userId: string,
    input: { name: string; scope: TokenScope; expiresInDays: number },
  ): Promise<CreatedApiToken> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    const entity: ApiTokenEntity = {
      id,
      userId,
      name: input.name,
      secretHash: sha256(secret),
      scope: input.scope,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.repo.upsertToken(entity);
    return { ...mapApiToken(entity), token: `kelpie_${id.replace(/-/g, '')}_${secret}` };
  }

  /** The environment's bootstrap token, (re)installed for `userId` at boot. */
  async installToken(userId: string, token: string, name: string): Promise<void> {
    const m = API_TOKEN_PATTERN.exec(token)!;
    const now = new Date();
    await this.repo.upsertToken({
      id: hexToUuid(m[1]!),
      userId,
      name,
      secretHash: sha256(m[2]!),
      scope: TokenScope.Roles,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3650 * 86_400_000),
      lastUsedAt: null,
      revokedAt: null,
    });
  }

  async listTokens(userId: string): Promise<ApiTokenInfo[]> {
    return (await this.repo.tokensOf(userId)).map(mapApiToken);
  }

  async revokeToken(id: string, userId: string | null): Promise<void> {
    if (!(await this.repo.revokeToken(id, userId, new Date())))
      throw new DomainError(ErrorCode.NotFound, `api token ${id} does not exist or is already revoked`, [
        { reason: 'not found', ref: { type: 'api_token', id } },
      ]);
  }
}

/** A user of an identity provider has no password here: the provider is where it changes. */
export function assertLocalUser(user: UserEntity): void {
  if (user.externalIssuer)
    throw invalidState(
      `user ${user.username} logs in with the identity provider ${user.externalIssuer}: their password is managed there`,
    );
}

/** `field`: the request field that carried the password (for the error's details). */
export function assertPasswordQuality(password: string, username: string, field = 'newPassword'): void {
  const reason =
    password.length < PASSWORD_MIN_LENGTH
      ? `at least ${PASSWORD_MIN_LENGTH} characters`
      : password.toLowerCase().includes(username.toLowerCase())
        ? 'must not contain the username'
        : null;
  if (reason)
    throw new DomainError(ErrorCode.ValidationFailed, `the new password is too weak: ${reason}`, [
      { field, reason },
    ]);
}

function hexToUuid(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
