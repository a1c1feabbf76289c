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

/**
 * Sends typed commands to one host's queue and waits for the agent's typed result. The payload is
 * validated against the catalog before anything is queued; idempotent commands are retried by
 * BullMQ, the others run at most once.
 */
@Injectable()
export class CommandBus implements OnApplicationShutdown {
  private readonly logger = new Logger('CommandBus');
  private readonly channels = new Map<string, Promise<HostChannel>>();
  private readonly producer: Redis;

  constructor(@Inject(ENGINE_CONFIG) private readonly config: EngineConfig) {
    this.producer = bullConnection(config, 'commands');
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
    const { queue, events } = await this.channel(hostId);
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

  private channel(hostId: string): Promise<HostChannel> {
    let channel = this.channels.get(hostId);
    if (!channel) {
      channel = this.open(hostId);
      this.channels.set(hostId, channel);
    }
    return channel;
  }

  private async open(hostId: string): Promise<HostChannel> {
    const name = commandQueueName(hostId);
    const prefix = this.config.redisPrefix;
    const queue = new Queue(name, { connection: this.producer, prefix });
    const eventsConnection = bullConnection(this.config, `events-${hostId}`);
    const events = new QueueEvents(name, { connection: eventsConnection, prefix });
    events.on('error', (err) => this.logger.debug(`queue events ${name}: ${err.message}`));
    await events.waitUntilReady();
    return { queue, events, eventsConnection };
  }

  async onApplicationShutdown(): Promise<void> {
    for (const channel of this.channels.values()) {
      const opened = await channel.catch(() => undefined);
      await opened?.events.close().catch(() => undefined);
      await opened?.queue.close().catch(() => undefined);
      opened?.eventsConnection.disconnect();
    }
    this.producer.disconnect();
  }
}
