import {
  AgentReport,
  agentOutboxKey,
  EventSeverity,
  HEARTBEAT_QUEUE,
  HeartbeatReport,
  ObjectType,
  OUTBOX_FIELD,
  REPORT_QUEUE,
  type AgentOutbox,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { hostname } from 'node:os';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { HostRepository } from '../hosts/host.repository';
import { connectRedis } from '../redis/redis-connection';

const GROUP = 'engines';
const BATCH = 500;
const BLOCK_MS = 1000;
const HOSTS_REFRESH_MS = 2000;
/** An entry read by an engine that died before relaying it is taken over after this long. */
const CLAIM_IDLE_MS = 30_000;
/** At most one audit event per host, outbox and period for forged reports (the rest are counted). */
const AUDIT_EVERY_MS = 10_000;
export const FORGED_REPORT_EVENT = 'agent.report_forged';

type Entry = [id: string, fields: string[]];

/**
 * Moves what agents append to their outboxes (one heartbeat and one report stream per host, written
 * with the host's own Redis user) into the engine's shared heartbeat and report queues. The stream a
 * report came from proves which host wrote it (only that host's user may XADD there), so a report
 * naming any other host is dropped and audited, never applied. Engines read through one consumer
 * group: each entry is relayed by one engine, in the order the host wrote it.
 */
@Injectable()
export class AgentOutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AgentOutbox');
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly connections: Redis[] = [];
  private readonly queues = new Map<AgentOutbox, Queue>();
  private readonly loops: Promise<void>[] = [];
  private hostIds: string[] = [];
  private hostsReadAt = 0;
  private readonly grouped = new Set<string>();
  private readonly forged = new Map<string, { lastAuditAt: number; unaudited: number }>();
  private stopped = false;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly hosts: HostRepository,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    const queueConnection = this.connect('outbox-relay');
    this.queues.set('heartbeats', new Queue(HEARTBEAT_QUEUE, this.queueOpts(queueConnection, 50)));
    this.queues.set('reports', new Queue(REPORT_QUEUE, this.queueOpts(queueConnection, 200)));
    for (const outbox of ['heartbeats', 'reports'] as const)
      this.loops.push(this.loop(outbox, this.connect(`outbox-${outbox}`)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // Forced: with Redis unreachable a graceful close would wait for it forever.
    for (const c of this.connections) c.disconnect();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }

  private connect(name: string): Redis {
    const c = connectRedis(this.config.redisUrl, {
      connectionName: `kelpie-engine:${name}`,
      maxRetriesPerRequest: null,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    c.on('error', (err) => this.logger.debug(`${name}: ${err.message}`));
    this.connections.push(c);
    return c;
  }

  private queueOpts(connection: Redis, keepFailed: number) {
    return {
      connection,
      prefix: this.config.redisPrefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: keepFailed },
    };
  }

  private async loop(outbox: AgentOutbox, redis: Redis): Promise<void> {
    let lastClaim = 0;
    while (!this.stopped) {
      try {
        const keys = await this.streams(outbox, redis);
        if (keys.length === 0) {
          await sleep(BLOCK_MS);
          continue;
        }
        if (Date.now() - lastClaim > CLAIM_IDLE_MS / 3) {
          lastClaim = Date.now();
          await this.claimAbandoned(outbox, redis, keys);
        }
        const got = (await redis.xreadgroup(
          'GROUP',
          GROUP,
          this.consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...keys.map(() => '>'),
        )) as [string, Entry[]][] | null;
        for (const [key, entries] of got ?? []) await this.relay(outbox, redis, key, entries);
      } catch (e) {
        if (this.stopped) return;
        // A stream deleted with its host takes its group along: find the groups again.
        if (/NOGROUP/.test((e as Error).message)) {
          this.grouped.clear();
          this.hostsReadAt = 0;
        } else this.logger.warn(`${outbox} outboxes: ${(e as Error).message}`);
        await sleep(BLOCK_MS);
      }
    }
  }

  /** The outbox keys of every host of the inventory, each with the engines' consumer group. */
  private async streams(outbox: AgentOutbox, redis: Redis): Promise<string[]> {
    if (Date.now() - this.hostsReadAt > HOSTS_REFRESH_MS) {
      this.hostIds = await this.hosts.ids();
      this.hostsReadAt = Date.now();
    }
    const keys = this.hostIds.map((id) => agentOutboxKey(this.config.redisPrefix, id, outbox));
    for (const key of keys) {
      if (this.grouped.has(key)) continue;
      // From the stream's start: what a host wrote before any engine looked is relayed too.
      await redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM').catch((e: Error) => {
        if (!/BUSYGROUP/.test(e.message)) throw e;
      });
      this.grouped.add(key);
    }
    return keys;
  }

  private async claimAbandoned(outbox: AgentOutbox, redis: Redis, keys: string[]): Promise<void> {
    for (const key of keys) {
      const [, entries] = (await redis.xautoclaim(
        key,
        GROUP,
        this.consumer,
        CLAIM_IDLE_MS,
        '0-0',
        'COUNT',
        BATCH,
      )) as [string, Entry[]];
      if (entries.length) await this.relay(outbox, redis, key, entries);
    }
  }

  private async relay(outbox: AgentOutbox, redis: Redis, key: string, entries: Entry[]): Promise<void> {
    const hostId = key.slice(`${this.config.redisPrefix}:agent-out:`.length, -`:${outbox}`.length);
    const jobs: { name: string; data: unknown }[] = [];
    for (const [, fields] of entries) {
      const report = this.accept(outbox, hostId, fields);
      if (report) jobs.push({ name: report.kind, data: report });
    }
    if (jobs.length) await this.queues.get(outbox)!.addBulk(jobs);
    const ids = entries.map(([id]) => id);
    await redis
      .multi()
      .xack(key, GROUP, ...ids)
      .xdel(key, ...ids)
      .exec();
  }

  /** The report if it is well-formed and names the host whose outbox it is in, else null. */
  private accept(
    outbox: AgentOutbox,
    hostId: string,
    fields: string[],
  ): { kind: string; hostId: string } | null {
    const at = fields.indexOf(OUTBOX_FIELD);
    let raw: unknown;
    try {
      raw = at >= 0 ? JSON.parse(fields[at + 1]!) : undefined;
    } catch {
      raw = undefined;
    }
    const parsed = (outbox === 'heartbeats' ? HeartbeatReport : AgentReport).safeParse(raw);
    if (!parsed.success) {
      this.logger.warn(`dropped a malformed ${outbox} entry of host ${hostId}`);
      return null;
    }
    if (parsed.data.hostId === hostId) return parsed.data;
    void this.auditForged(outbox, hostId, parsed.data.hostId, parsed.data.kind);
    return null;
  }

  private async auditForged(outbox: AgentOutbox, writer: string, named: string, kind: string): Promise<void> {
    const seen = this.forged.get(`${writer}:${outbox}`) ?? { lastAuditAt: 0, unaudited: 0 };
    this.forged.set(`${writer}:${outbox}`, seen);
    seen.unaudited++;
    if (Date.now() - seen.lastAuditAt < AUDIT_EVERY_MS) return;
    const count = seen.unaudited;
    seen.lastAuditAt = Date.now();
    seen.unaudited = 0;
    const writerHost = await this.hosts.find(writer).catch(() => null);
    const refs = [{ type: ObjectType.Host, id: writer, name: writerHost?.name ?? writer }];
    await this.events
      .record({
        severity: EventSeverity.Warning,
        type: FORGED_REPORT_EVENT,
        message: `refused ${count} ${kind} report(s) written with the Redis credentials of host ${writerHost?.name ?? writer} but naming host ${named}: that host's credentials may be stolen`,
        refs,
      })
      .catch((e: Error) => this.logger.warn(`forged report not audited: ${e.message}`));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
