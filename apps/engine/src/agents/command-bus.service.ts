import {
  COMMANDS,
  CommandEnvelope,
  CommandName,
  CommandPayload,
  CommandResult,
  commandQueueName,
  decodeAgentError,
  PROTOCOL_VERSION,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { AgentCommandError } from './agent-command.error';
import { bullConnection } from './bullmq-connection';

export interface SendOptions {
  taskId?: string;
  correlationId?: string;
  /** Makes a resend of the same step harmless: BullMQ ignores a job id it already has. */
  jobId?: string;
  onProgress?: (progress: unknown) => void;
}

interface HostChannel {
  queue: Queue;
  events: QueueEvents;
  eventsConnection: Redis;
}

/** A host's channel and how it is used: closed once no command is in flight and it sat idle. */
interface ChannelEntry {
  ready: Promise<HostChannel>;
  inFlight: number;
  lastUsed: number;
}

/** A host's QueueEvents (one Redis connection each) is closed after this long without commands. */
export const CHANNEL_IDLE_MS = 5 * 60_000;
/** How often idle channels are looked for. */
export const CHANNEL_SWEEP_MS = 60_000;

/**
 * Sends typed commands to one host's queue and waits for the agent's typed result. The payload is
 * validated against the catalog before anything is queued; idempotent commands are retried by
 * BullMQ, the others run at most once. Each host's channel (its queue and a QueueEvents, which needs
 * a Redis connection of its own) is opened on the first command and closed once it has been idle
 * for CHANNEL_IDLE_MS with nothing in flight, so connections follow the hosts being commanded, not
 * every host ever contacted.
 */
@Injectable()
export class CommandBus implements OnApplicationShutdown {
  private readonly logger = new Logger('CommandBus');
  private readonly channels = new Map<string, ChannelEntry>();
  private readonly producer: Redis;
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(ENGINE_CONFIG) private readonly config: EngineConfig) {
    this.producer = bullConnection(config, 'commands');
    this.sweeper = setInterval(() => void this.closeIdle(), CHANNEL_SWEEP_MS);
    this.sweeper.unref();
  }

  /** Hosts whose channel is open right now. */
  get openChannels(): number {
    return this.channels.size;
  }

  async send<N extends CommandName>(
    hostId: string,
    name: N,
    payload: CommandPayload<N>,
    options: SendOptions = {},
  ): Promise<CommandResult<N>> {
    const spec = COMMANDS[name];
    const parsed = spec.payload.safeParse(payload);
    if (!parsed.success)
      throw new AgentCommandError({ code: 'invalid_payload', message: parsed.error.message });
    const envelope: CommandEnvelope = {
      name,
      protocolVersion: PROTOCOL_VERSION,
      taskId: options.taskId,
      correlationId: options.correlationId,
      payload: parsed.data,
    };
    const entry = this.acquire(hostId);
    try {
      return await this.sendOn(await entry.ready, hostId, name, envelope, options);
    } finally {
      entry.inFlight--;
      entry.lastUsed = Date.now();
    }
  }

  private async sendOn<N extends CommandName>(
    { queue, events }: HostChannel,
    hostId: string,
    name: N,
    envelope: CommandEnvelope,
    options: SendOptions,
  ): Promise<CommandResult<N>> {
    const spec = COMMANDS[name];
    const job = await queue.add(name, envelope, {
      jobId: options.jobId ?? randomUUID(),
      attempts: spec.idempotent ? 3 : 1,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600, count: 1000 },
    });
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      if (jobId === job.id) options.onProgress?.(data);
    };
    if (options.onProgress) events.on('progress', onProgress);
    try {
      const raw: unknown = await job.waitUntilFinished(events, spec.timeoutMs);
      const result = spec.result.safeParse(raw);
      if (!result.success) {
        throw new AgentCommandError({
          code: 'internal',
          message: `agent returned an invalid ${name} result: ${result.error.message}`,
        });
      }
      return result.data as CommandResult<N>;
    } catch (err) {
      throw await this.failure(job, name, hostId, err);
    } finally {
      if (options.onProgress) events.off('progress', onProgress);
    }
  }

  private async failure(job: Job, name: string, hostId: string, err: unknown): Promise<AgentCommandError> {
    if (err instanceof AgentCommandError) return err;
    const message = err instanceof Error ? err.message : String(err);
    if (/timed out before finishing/i.test(message)) {
      // Never let a command that nobody picked up run later by surprise.
      const state = await job.getState().catch(() => 'unknown');
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized')
        await job.remove().catch(() => undefined);
      return new AgentCommandError({
        code: state === 'waiting' || state === 'delayed' ? 'not_delivered' : 'timeout',
        message:
          state === 'waiting' || state === 'delayed'
            ? `host ${hostId} did not pick up ${name} in time: is its agent running?`
            : `${name} did not finish on host ${hostId} in time`,
      });
    }
    return new AgentCommandError(decodeAgentError(message));
  }

  /** The host's channel, opened if needed, marked in use (synchronously, so a sweep cannot close it
   * between here and the send). */
  private acquire(hostId: string): ChannelEntry {
    let entry = this.channels.get(hostId);
    if (!entry) {
      entry = { ready: this.open(hostId), inFlight: 0, lastUsed: Date.now() };
      this.channels.set(hostId, entry);
      // A channel that failed to open is forgotten, so the next command tries again.
      const opened = entry;
      opened.ready.catch(() => {
        if (this.channels.get(hostId) === opened) this.channels.delete(hostId);
      });
    }
    entry.inFlight++;
    entry.lastUsed = Date.now();
    return entry;
  }

  /** Closes the channels of hosts with no command in flight for CHANNEL_IDLE_MS. */
  closeIdle(now = Date.now()): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [hostId, entry] of this.channels) {
      if (entry.inFlight > 0 || now - entry.lastUsed < CHANNEL_IDLE_MS) continue;
      this.channels.delete(hostId);
      closing.push(this.close(entry));
    }
    return Promise.all(closing).then(() => undefined);
  }

  private async close(entry: ChannelEntry): Promise<void> {
    const opened = await entry.ready.catch(() => undefined);
    await opened?.events.close().catch(() => undefined);
    await opened?.queue.close().catch(() => undefined);
    opened?.eventsConnection.disconnect();
  }

  private async open(hostId: string): Promise<HostChannel> {
    const name = commandQueueName(hostId);
    const prefix = this.config.redisPrefix;
    const queue = new Queue(name, { connection: this.producer, prefix });
    // Every command waiting on this host adds a 'closing' listener (BullMQ's waitUntilFinished).
    queue.setMaxListeners(0);
    const eventsConnection = bullConnection(this.config, `events-${hostId}`);
    const events = new QueueEvents(name, { connection: eventsConnection, prefix });
    events.on('error', (err) => this.logger.debug(`queue events ${name}: ${err.message}`));
    await events.waitUntilReady();
    return { queue, events, eventsConnection };
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    const entries = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(entries.map((e) => this.close(e)));
    this.producer.disconnect();
  }
}
