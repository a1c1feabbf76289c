import {
  agentOutboxKey,
  agentRedisUser,
  redisUrlWithoutCredentials,
  type AgentCredentials,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { HostRepository } from '../hosts/host.repository';
import { CertificateAuthority } from './certificate-authority';
import { CommandSigner } from './command-signer';
import { HostCredentialEntity } from './host-credential.entity';
import { agentAclRules } from './redis-acl';

/**
 * What a host's agent is given at enrollment and loses when the host is removed: a Redis ACL user of
 * its own (its command queue, append-only access to its outboxes, nothing else). The password is
 * random, written to the host only; the engine keeps its SHA-256, enough to re-create the user (Redis
 * keeps ACL users in memory: after a restart without an ACL file they are gone, so every engine
 * re-applies them whenever its Redis connection becomes ready).
 */
@Injectable()
export class HostCredentialsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HostCredentials');
  private readonly onReady = () => void this.reapplyAll();

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectRepository(HostCredentialEntity) private readonly repo: Repository<HostCredentialEntity>,
    private readonly signer: CommandSigner,
    private readonly ca: CertificateAuthority,
    private readonly hosts: HostRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.redis.on('ready', this.onReady);
    if (this.redis.status === 'ready') void this.reapplyAll();
  }

  onApplicationShutdown(): void {
    this.redis.off('ready', this.onReady);
  }

  /** New credentials for the host (a re-enrollment replaces the password: the old one stops working)
   * and a new TLS certificate for its address (the agent installs it for libvirt and QEMU). */
  async issue(hostId: string): Promise<AgentCredentials> {
    const host = await this.hosts.byId(hostId);
    const cert = await this.ca.issueHostCertificate({ name: host.name, address: host.address });
    const password = randomBytes(32).toString('base64url');
    const row = this.repo.create({
      hostId,
      redisUser: agentRedisUser(this.config.redisPrefix, hostId),
      passwordSha256: createHash('sha256').update(password).digest('hex'),
      issuedAt: new Date(),
    });
    // Recorded first: an engine re-applying users at that moment must not take it for a stray one.
    await this.repo.save(row);
    await this.apply(row);
    return {
      hostId,
      redis: {
        url: redisUrlWithoutCredentials(this.config.agentRedisUrl),
        username: row.redisUser,
        password,
      },
      commandKey: { publicKeyPem: this.signer.publicKeyPem },
      tls: { caCertPem: cert.caCertPem, certPem: cert.certPem, keyPem: cert.keyPem },
    };
  }

  /** When the host's current credentials were issued, or null when it has none. */
  async issuedAt(hostId: string): Promise<Date | null> {
    return (await this.repo.findOneBy({ hostId }))?.issuedAt ?? null;
  }

  /** Deletes the host's ACL user (Redis drops its open connections at once) and its outboxes. With
   * Redis away the user is removed later: every engine deletes unrecorded users of its deployment
   * when its connection becomes ready again. */
  async revoke(hostId: string): Promise<void> {
    await this.repo.delete({ hostId });
    try {
      await this.redis.call('ACL', 'DELUSER', agentRedisUser(this.config.redisPrefix, hostId));
      await this.redis.del(
        agentOutboxKey(this.config.redisPrefix, hostId, 'heartbeats'),
        agentOutboxKey(this.config.redisPrefix, hostId, 'reports'),
      );
    } catch (e) {
      this.logger.warn(
        `host ${hostId}'s Redis user not deleted yet (Redis: ${(e as Error).message}): removed at the next reconnect`,
      );
    }
  }

  private async apply(row: HostCredentialEntity): Promise<void> {
    await this.redis.call(
      'ACL',
      'SETUSER',
      row.redisUser,
      ...agentAclRules(this.config.redisPrefix, row.hostId, row.passwordSha256),
    );
  }

  /** Re-creates every host's user as recorded, and removes users of this deployment that are not. */
  private async reapplyAll(): Promise<void> {
    try {
      const rows = await this.repo.find();
      for (const row of rows) await this.apply(row);
      const known = new Set(rows.map((r) => r.redisUser));
      const ours = `${this.config.redisPrefix}:agent:`;
      const users = (await this.redis.call('ACL', 'USERS')) as string[];
      for (const u of users)
        if (u.startsWith(ours) && !known.has(u)) await this.redis.call('ACL', 'DELUSER', u);
    } catch (e) {
      this.logger.warn(
        `could not re-apply the hosts' Redis users (next reconnect retries): ${(e as Error).message}`,
      );
    }
  }
}
