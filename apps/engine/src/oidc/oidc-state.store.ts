import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import type { PendingLogin } from './oidc-client';

/** A login has this long between leaving for the provider and coming back. */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;

/** Logins under way (PKCE verifier and nonce by state), in Redis: any engine can take the browser
 * back, each state is used once (GETDEL), and an abandoned one expires by itself. */
@Injectable()
export class OidcStateStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  async put(state: string, pending: PendingLogin): Promise<void> {
    await this.redis.set(this.key(state), JSON.stringify(pending), 'PX', PENDING_LOGIN_TTL_MS);
  }

  /** The pending login of `state`, removed as it is read; null when unknown, used or expired. */
  async take(state: string): Promise<PendingLogin | null> {
    const raw = await this.redis.getdel(this.key(state));
    return raw ? (JSON.parse(raw) as PendingLogin) : null;
  }

  private key(state: string): string {
    return `${this.config.redisPrefix}:oidc:pending:${state}`;
  }
}
