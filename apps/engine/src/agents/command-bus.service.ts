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
import { CommandWatch, WATCHDOG_INTERVAL_MS } from './command-watchdog';
import { TaskFenced } from '../tasks/task-fence';
import { CommandSigner } from '../trust/command-signer';
import { currentTaskScope } from '../tasks/task-scope';

export interface SendOptions {
  taskId?: string;
  correlationId?: string;
  /** Makes a resend of the same step harmless: BullMQ ignores a job id it already has. */
  jobId?: string;
  onProgress?: (progress: unknown) => void;
}

/** What became of a command job an engine re-attaches to (see CommandBus.attach). */
export type AttachedOutcome<N extends CommandName> =
  | { state: 'completed'; result: CommandResult<N> }
  | { state: 'failed'; error: AgentCommandError }
  | { state: 'missing' };

/** Where a host's command results arrive: a QueueEvents needs a Redis connection of its own. */
interface ResultStream {
  events: QueueEvents;
  connection: Redis;
}

/** A host's channel and how it is used: closed once no command is in flight and it sat idle. */
interface ChannelEntry {
  /** On the shared producer connection: costs no connection of its own. */
  queue: Queue;
  /** Opened by the first command that waits for its result; commands only posted never open it. */
  results?: Promise<ResultStream>;
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
 * BullMQ, the others run at most once. Each host's channel (its queue, and a QueueEvents with a Redis
 * connection of its own once a command waits for a result) is opened on the first command and closed
 * once it has been idle for CHANNEL_IDLE_MS with nothing in flight, so connections follow the hosts
 * being commanded, not every host ever contacted; notifications (`post`) never open a connection.
 */
@Injectable()
export class CommandBus implements OnApplicationShutdown {
  private readonly logger = new Logger('CommandBus');
  private readonly channels = new Map<string, ChannelEntry>();
  private readonly producer: Redis;
  private readonly sweeper: NodeJS.Timeout;
  /** How often a waiting command is checked for a result that can never come (tests shorten it). */
  watchdogMs = WATCHDOG_INTERVAL_MS;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly signer: CommandSigner,
  ) {
    this.producer = bullConnection(config, 'commands');
    this.sweeper = setInterval(() => void this.closeIdle(), CHANNEL_SWEEP_MS);
    this.sweeper.unref();
  }

  /** Hosts whose channel is open right now. */
  get openChannels(): number {
    return this.channels.size;
  }

  /** Queues a command and waits for the agent's result. */
  async send<N extends CommandName>(
    hostId: string,
    name: N,
    payload: CommandPayload<N>,
    options: SendOptions = {},
  ): Promise<CommandResult<N>> {
    const envelope = this.envelope(name, payload, options);
    const entry = this.acquire(hostId);
    try {
      const { events } = await this.resultsOf(hostId, entry);
      return await this.sendOn(entry.queue, events, hostId, name, envelope, options);
    } catch (err) {
      throw fencedByHost(err, envelope);
    } finally {
      entry.inFlight--;
      entry.lastUsed = Date.now();
    }
  }

  /**
   * The outcome of a command queued earlier under `jobId`, possibly by an engine that has died since:
   * waits while the job is queued or running; `missing` when Redis no longer has it (never sent, or
   * past retention). Nothing is queued: a job that is gone is not run again.
   */
  async attach<N extends CommandName>(
    hostId: string,
    name: N,
    jobId: string,
    timeoutMs: number = COMMANDS[name].timeoutMs,
  ): Promise<AttachedOutcome<N>> {
    const entry = this.acquire(hostId);
    try {
      const job = await Job.fromId(entry.queue, jobId);
      if (!job) return { state: 'missing' };
      const state = await job.getState();
      let raw: unknown;
      try {
        if (state === 'completed') raw = job.returnvalue;
        else if (state === 'failed') throw new Error(job.failedReason);
        else {
          const { events } = await this.resultsOf(hostId, entry);
          raw = await this.awaitJob(entry.queue, events, job, hostId, name, timeoutMs);
        }
      } catch (err) {
        return { state: 'failed', error: await this.failure(job, name, hostId, err) };
      }
      const parsed = COMMANDS[name].result.safeParse(raw);
      if (!parsed.success)
        return {
          state: 'failed',
          error: new AgentCommandError({
            code: 'internal',
            message: `agent returned an invalid ${name} result: ${parsed.error.message}`,
          }),
        };
      return { state: 'completed', result: parsed.data as CommandResult<N> };
    } finally {
      entry.inFlight--;
      entry.lastUsed = Date.now();
    }
  }

  /** Queues a command without waiting for its result (e.g. `host.refresh` after a host came back):
   * a burst to every host of a fleet then opens no Redis connection per host. Only for commands that
   * are harmless whenever they run: nobody removes a job its agent never picked up (as `send` does). */
  async post<N extends CommandName>(hostId: string, name: N, payload: CommandPayload<N>): Promise<void> {
    const envelope = this.envelope(name, payload, {});
    const entry = this.acquire(hostId);
    try {
      const jobId = randomUUID();
      await entry.queue.add(name, this.signer.sign(hostId, jobId, envelope), this.jobOptions(name, jobId));
    } finally {
      entry.inFlight--;
      entry.lastUsed = Date.now();
    }
  }

  private envelope<N extends CommandName>(
    name: N,
    payload: CommandPayload<N>,
    options: SendOptions,
  ): CommandEnvelope {
    const parsed = COMMANDS[name].payload.safeParse(payload);
    if (!parsed.success)
      throw new AgentCommandError({ code: 'invalid_payload', message: parsed.error.message });
    return {
      name,
      protocolVersion: PROTOCOL_VERSION,
      taskId: options.taskId,
      correlationId: options.correlationId,
      ...fenceOfCaller(),
      payload: parsed.data,
    };
  }

  private jobOptions(name: CommandName, jobId: string) {
    return {
      jobId,
      attempts: COMMANDS[name].idempotent ? 3 : 1,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600, count: 1000 },
    };
  }

  private async sendOn<N extends CommandName>(
    queue: Queue,
    events: QueueEvents,
    hostId: string,
    name: N,
    envelope: CommandEnvelope,
    options: SendOptions,
  ): Promise<CommandResult<N>> {
    const spec = COMMANDS[name];
    const jobId = options.jobId ?? randomUUID();
    // Signed for this host and job id only: the agent refuses it on another queue or under another id.
    const job = await queue.add(
      name,
      this.signer.sign(hostId, jobId, envelope),
      this.jobOptions(name, jobId),
    );
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      if (jobId === job.id) options.onProgress?.(data);
    };
    if (options.onProgress) events.on('progress', onProgress);
    try {
      const raw = await this.awaitJob(queue, events, job, hostId, name, spec.timeoutMs);
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
      // A payload with a secret leaves Redis as soon as its outcome is known, not after an hour.
      if ((spec as { sensitive?: boolean }).sensitive) await job.remove().catch(() => undefined);
    }
  }

  /** The job's return value once it finished. A lost result (job flushed from Redis, agent killed
   * mid-command) fails the wait within a bounded time, not after the command's timeout. */
  private async awaitJob(
    queue: Queue,
    events: QueueEvents,
    job: Job,
    hostId: string,
    name: CommandName,
    timeoutMs: number,
  ): Promise<unknown> {
    const watch = new CommandWatch({ queue, jobId: job.id!, hostId, name }, this.watchdogMs);
    const finished = job.waitUntilFinished(events, timeoutMs);
    let watched = false;
    try {
      return await Promise.race([finished, watch.result.finally(() => (watched = true))]);
    } finally {
      watch.stop();
      if (watched) {
        // Settled by the watchdog: release BullMQ's own wait (its listeners and its 24 h timer).
        void finished.catch(() => undefined);
        (events as unknown as NodeJS.EventEmitter).emit(`failed:${job.id}`, {
          failedReason: 'settled by the command watchdog',
        });
      }
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
      const queue = new Queue(commandQueueName(hostId), {
        connection: this.producer,
        prefix: this.config.redisPrefix,
      });
      // Every command waiting on this host adds a 'closing' listener (BullMQ's waitUntilFinished).
      queue.setMaxListeners(0);
      // Redis unreachable: the connection retries and the watchdog judges waiting commands; without
      // a listener BullMQ would print every failed reconnect.
      queue.on('error', (err) => this.logger.debug(`queue ${queue.name}: ${err.message}`));
      entry = { queue, inFlight: 0, lastUsed: Date.now() };
      this.channels.set(hostId, entry);
    }
    entry.inFlight++;
    entry.lastUsed = Date.now();
    return entry;
  }

  /** The host's result stream, opened on first use; one that failed to open is tried again next time. */
  private resultsOf(hostId: string, entry: ChannelEntry): Promise<ResultStream> {
    if (!entry.results) {
      const opening = this.openResults(hostId);
      entry.results = opening;
      opening.catch(() => {
        if (entry.results === opening) entry.results = undefined;
      });
    }
    return entry.results;
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
    const results = await entry.results?.catch(() => undefined);
    await results?.events.close().catch(() => undefined);
    await entry.queue.close().catch(() => undefined);
    results?.connection.disconnect();
  }

  private async openResults(hostId: string): Promise<ResultStream> {
    const name = commandQueueName(hostId);
    const connection = bullConnection(this.config, `events-${hostId}`);
    const events = new QueueEvents(name, { connection, prefix: this.config.redisPrefix });
    events.on('error', (err) => this.logger.debug(`queue events ${name}: ${err.message}`));
    try {
      await events.waitUntilReady();
    } catch (err) {
      connection.disconnect();
      throw err;
    }
    return { events, connection };
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    const entries = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(entries.map((e) => this.close(e)));
    this.producer.disconnect();
  }
}

/** The fence of the task whose work sends the command (none outside a task). */
function fenceOfCaller(): Pick<CommandEnvelope, 'fence'> {
  const scope = currentTaskScope();
  return scope ? { fence: { taskId: scope.taskId, generation: scope.fence.generation } } : {};
}

/** A host refused the command as coming from a runner taken for dead: the runner's work stops the
 * way it stops when a task write is refused (TaskFenced), writing nothing more. */
function fencedByHost(err: unknown, envelope: CommandEnvelope): unknown {
  const scope = currentTaskScope();
  if (!(err instanceof AgentCommandError) || err.code !== 'task_fenced' || !scope || !envelope.fence)
    return err;
  const highest = (err.details as { highest?: unknown } | undefined)?.highest;
  return new TaskFenced(
    scope.taskId,
    scope.fence,
    { owner: null, generation: typeof highest === 'number' ? highest : envelope.fence.generation + 1 },
    `a host refused ${envelope.name}: ${err.message}`,
  );
}
