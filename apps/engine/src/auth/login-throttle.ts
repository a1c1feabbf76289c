import { ErrorCode } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/**
 * Lockout after repeated failed logins, per username and per source address, shared by every engine
 * (Redis). Each failure restarts the lockout period, so a guesser who keeps trying stays out; a
 * success clears the username's count. Checked before the password is, so a locked account gives
 * no hint whether a password was right.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  private keys(username: string, address: string): [string, string] {
    const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
    const p = `${this.config.redisPrefix}:auth:fail`;
    return [`${p}:user:${h(username.toLowerCase())}`, `${p}:addr:${h(address)}`];
  }

  async assertAllowed(username: string, address: string): Promise<void> {
    const [user, addr] = this.keys(username, address);
    const [u, a] = await this.redis.mget(user, addr);
    const { loginMaxFailures, loginMaxFailuresPerAddress } = this.config.auth;
    const lockedKey =
      Number(u ?? 0) >= loginMaxFailures ? user : Number(a ?? 0) >= loginMaxFailuresPerAddress ? addr : null;
    if (!lockedKey) return;
    const ttl = Math.max(1, Math.ceil((await this.redis.pttl(lockedKey)) / 1000));
    throw new DomainError(
      ErrorCode.RateLimited,
      `too many failed logins ${lockedKey === user ? 'for this user' : 'from this address'}; retry in ${ttl} s`,
      [{ field: lockedKey === user ? 'username' : 'address', reason: `locked out for ${ttl} s` }],
    );
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const ms = this.config.auth.loginLockoutMs;
    const multi = this.redis.multi();
    for (const k of this.keys(username, address)) multi.incr(k).pexpire(k, ms);
    await multi.exec();
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    await this.redis.del(this.keys(username, address)[0]);
  }
}
