import {
  HEARTBEAT_QUEUE,
  HeartbeatReport,
  HostStatus,
  isCompatibleProtocol,
  PROTOCOL_VERSION,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { HostsService } from '../hosts/hosts.service';
import { bullConnection } from './bullmq-connection';
import { CommandBus } from './command-bus.service';
import { HostRepository } from '../hosts/host.repository';

const FLUSH_MS = 1000;
/** Statuses a heartbeat brings back to Up. Maintenance and Error stay until an admin acts. */
const REVIVABLE: HostStatus[] = [HostStatus.Installing, HostStatus.NonResponsive];

interface Seen {
  at: Date;
  load: HeartbeatReport['load'] | null;
  protocolVersion: number;
}

/**
 * Consumes heartbeats (their own queue: never behind commands or reports). Last-seen times are
 * batched into one UPDATE per second; status changes are applied at once.
 */
@Injectable()
export class HeartbeatConsumer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeats');
  private worker?: Worker;
  private connection?: Redis;
  private timer?: NodeJS.Timeout;
  private pending = new Map<string, Seen>();
  private flushing = false;
  /** Host id → status as last read; avoids a database read per heartbeat. */
  private readonly statusCache = new Map<string, HostStatus>();
  /** Host id → when this engine last received its heartbeat (epoch ms), recorded or not. */
  private readonly seen = new Map<string, number>();
  /** Largest delay between an agent sending a heartbeat and the engine handling it, since last read. */
  maxLagMs = 0;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly hostRecords: HostRepository,
    private readonly hosts: HostsService,
    private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    this.connection = bullConnection(this.config, 'heartbeats');
    this.worker = new Worker(HEARTBEAT_QUEUE, (job) => this.handle(job), {
      connection: this.connection,
      prefix: this.config.redisPrefix,
      concurrency: 50,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 100 },
    });
    this.worker.on('error', (err) => this.logger.debug(`worker: ${err.message}`));
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // Forced: with Redis unreachable a graceful close would wait for it forever.
    this.connection?.disconnect();
    await this.worker?.close(true);
    await this.flush();
  }

  private async handle(job: Job): Promise<void> {
    const parsed = HeartbeatReport.safeParse(job.data);
    if (!parsed.success) {
      this.logger.warn(`rejected a malformed heartbeat: ${parsed.error.message}`);
      return;
    }
    const hb = parsed.data;
    this.maxLagMs = Math.max(this.maxLagMs, Date.now() - Date.parse(hb.sentAt));
    this.seen.set(hb.hostId, Date.now());
    this.pending.set(hb.hostId, {
      at: new Date(),
      load: hb.load ?? null,
      protocolVersion: hb.protocolVersion,
    });
    const status = this.statusCache.get(hb.hostId);
    if (
      status === HostStatus.Up ||
      status === HostStatus.NonOperational ||
      status === HostStatus.Maintenance ||
      status === HostStatus.PreparingForMaintenance
    )
      return;
    await this.reconsider(hb);
  }

  /** The first heartbeat of a host, or one from a host not Up: decide its status now. */
  private async reconsider(hb: HeartbeatReport): Promise<void> {
    const host = await this.hostRecords.find(hb.hostId);
    if (!host) {
      this.statusCache.delete(hb.hostId);
      return;
    }
    let status = host.status;
    if (!isCompatibleProtocol(hb.protocolVersion)) {
      const reason = `agent speaks protocol ${hb.protocolVersion}, this engine needs ${PROTOCOL_VERSION}: upgrade the agent on ${host.name}`;
      status = (await this.hosts.setStatus(host.id, HostStatus.Error, reason)).status;
    } else if (
      REVIVABLE.includes(host.status) ||
      (host.status === HostStatus.Error && host.statusReason?.includes('protocol'))
    ) {
      // Recorded before the status flips, so the monitor never sees an Up host without a heartbeat.
      await this.hostRecords.heardFrom(host.id, new Date());
      status = (await this.hosts.setStatus(host.id, HostStatus.Up, null)).status;
      // After silence the agent's view may be ahead of ours: ask for a fresh inventory now.
      this.commands
        .post(host.id, 'host.refresh', {})
        .catch((err: Error) => this.logger.debug(`refresh ${host.name}: ${err.message}`));
    }
    this.statusCache.set(host.id, status);
  }

  /** Writes the batched last-seen times in one statement and refreshes the status cache. */
  private async flush(): Promise<void> {
    // One write at a time: a slow one (Postgres reconnecting) must not be overtaken by a newer batch.
    if (this.pending.size === 0 || this.flushing) return;
    this.flushing = true;
    try {
      await this.write();
    } finally {
      this.flushing = false;
    }
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const rows = await this.hostRecords
      .recordHeartbeats(
        [...batch].map(([id, s]) => ({
          id,
          at: s.at,
          load: s.load ? JSON.stringify({ ...s.load, at: s.at.toISOString() }) : null,
          protocolVersion: s.protocolVersion,
        })),
      )
      .catch((err: Error) => {
        // Postgres away: keep the batch (newer heartbeats win) and write it with the next flush.
        for (const [id, s] of batch) if (!this.pending.has(id)) this.pending.set(id, s);
        this.logger.warn(`could not record heartbeats (will retry): ${err.message}`);
        return [];
      });
    for (const r of rows) this.statusCache.set(r.id, r.status);
  }

  /** When this engine last received a heartbeat of the host (epoch ms), even one not yet recorded. */
  lastSeen(hostId: string): number | undefined {
    return this.seen.get(hostId);
  }

  /** Called by the monitor when it changes a host's status, so the next heartbeat is re-examined. */
  forget(hostId: string): void {
    this.statusCache.delete(hostId);
  }
}
