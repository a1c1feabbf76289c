import type { ConsoleKind } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/** What a ticket grants, kept server-side only (Redis, TTL = the ticket's lifetime). */
export interface TicketGrant {
  kind: ConsoleKind;
  vmId: string;
  /** Host the console was prepared on; the proxy refuses when the VM is elsewhere at connect time. */
  hostId: string;
  /** VNC: the one-time password the proxy authenticates with. */
  vncPassword?: string;
  /** Serial: the agent's one-shot bridge port and the token it expects. */
  serialPort?: number;
  serialToken?: string;
  actor: string;
  /** The user who asked: only their session or token may use the ticket. */
  userId: string;
  correlationId: string;
  expiresAt: string;
}

/** base64url of 32 random bytes. */
export const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * One-time console tickets: 256-bit random, stored in Redis under the SHA-256 of the ticket (the
 * ticket itself is never stored or logged), consumed with GETDEL — atomic, so exactly one
 * connection wins even across engine processes — and expired by Redis TTL.
 */
@Injectable()
export class ConsoleTicketService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  get ttlMs(): number {
    return this.config.consoleTicketTtlMs;
  }

  private key(ticket: string): string {
    return `${this.config.redisPrefix}:console:ticket:${createHash('sha256').update(ticket).digest('hex')}`;
  }

  async issue(grant: TicketGrant): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    const ttl = Math.max(1, Date.parse(grant.expiresAt) - Date.now());
    await this.redis.set(this.key(ticket), JSON.stringify(grant), 'PX', ttl, 'NX');
    return ticket;
  }

  /** Withdraws an issued ticket (its console could not be prepared). */
  async revoke(ticket: string): Promise<void> {
    await this.redis.del(this.key(ticket));
  }

  /** The grant of a valid, unused ticket — and the ticket is gone afterwards. Null otherwise. */
  async consume(ticket: string): Promise<TicketGrant | null> {
    if (!TICKET_PATTERN.test(ticket)) return null;
    const raw = await this.redis.getdel(this.key(ticket));
    if (!raw) return null;
    const grant = JSON.parse(raw) as TicketGrant;
    // Redis expiry has millisecond precision but is lazy about the last moment: check anyway.
    if (Date.parse(grant.expiresAt) <= Date.now()) return null;
    return grant;
  }
}
