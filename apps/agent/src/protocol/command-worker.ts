import { CommandEnvelope, commandQueueName } from '@kelpie/shared-types';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { toAgentError, toBullError } from '../errors/agent-error';
import type { AtMostOnce } from './at-most-once';
import type { CommandDispatcher } from './dispatcher';
import type { Reporter } from '../reports/reporter';
import { TaskFences } from './task-fences';
import { CommandSignatures } from './command-signatures';

export interface CommandWorkerOptions {
  hostId: string;
  prefix: string;
  concurrency: number;
  connection: Redis;
  /** How long a job's lock lives without renewal (BullMQ renews it at half): an agent that died is
   * noticed by the engine's watchdog (no live lock) and by this worker's stalled check after that. */
  lockMs: number;
  /** The engine's command-signing key (from the credentials): without it, jobs are not checked. */
  commandPublicKeyPem?: string;
}

/** Told of every command's run time and outcome (`ok` or the agent error code). */
export type CommandObserver = (command: string, outcome: string, seconds: number) => void;

/** Consumes ONLY this host's command queue (commandQueueName(hostId)). */
export class CommandWorker {
  readonly queueName: string;
  readonly worker: Worker;

  constructor(
    opts: CommandWorkerOptions,
    private readonly dispatcher: CommandDispatcher,
    private readonly reporter: Reporter,
    private readonly log: Logger,
    private readonly once: AtMostOnce,
    private readonly observe: CommandObserver = () => undefined,
    private readonly fences = new TaskFences(),
    private readonly signatures = new CommandSignatures(opts.hostId, opts.commandPublicKeyPem),
  ) {
    this.queueName = commandQueueName(opts.hostId);
    this.worker = new Worker(this.queueName, (job) => this.process(job), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      autorun: false,
      lockDuration: opts.lockMs,
      // A job whose lock expired (Redis restarted, this agent was killed) goes back to the queue
      // once and is redelivered to this host: AtMostOnce (the journal) guarantees it does not run a
      // second time, and reports the first run's outcome instead. Idempotent and non-idempotent
      // commands share the queue, so this setting cannot be per command; the journal is per command.
      maxStalledCount: 1,
      stalledInterval: opts.lockMs,
      // Defaults when the engine's job options do not say: keep a bounded history.
      removeOnComplete: { count: 1000, age: 24 * 3600 },
      removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
    });
    this.worker.on('error', (e) => this.log.error({ err: e.message }, 'command worker error'));
  }

  private async process(job: Job): Promise<unknown> {
    const jobId = job.id ?? '?';
    const data = job.data as { taskId?: unknown; name?: unknown; fence?: unknown } | undefined;
    const taskId = typeof data?.taskId === 'string' ? data.taskId : undefined;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      // Before anything runs or is journaled: a forged job or a stale runner's command leaves no trace
      // on the host (a forged job must not even take a journal entry under its job id).
      this.admitSigned(jobId, job);
      const fence = CommandEnvelope.shape.fence.safeParse(data?.fence);
      this.fences.admit(fence.success ? fence.data : undefined, String(data?.name ?? job.name));
      const result = await this.once.run(jobId, job.data, () => this.dispatch(job, jobId, taskId));
      this.observe(job.name, 'ok', seconds());
      return result;
    } catch (e) {
      const err = toAgentError(e);
      this.observe(job.name, err.code, seconds());
      throw toBullError(err);
    }
  }

  private admitSigned(jobId: string, job: Job): void {
    try {
      this.signatures.admit(jobId, job.data, job.name);
    } catch (e) {
      // A permanent failure: BullMQ does not retry it, so this is logged once per job.
      this.log.warn({ jobId, command: job.name, err: (e as Error).message }, 'command job refused');
      throw e;
    }
  }

  private async dispatch(job: Job, jobId: string, taskId: string | undefined): Promise<unknown> {
    const { result } = await this.dispatcher.dispatch(job.data, {
      jobId,
      log: this.log,
      progress: async (percent, message, extra) => {
        const p = Math.max(0, Math.min(100, percent));
        try {
          await job.updateProgress({ percent: p, message, ...(extra ? { data: extra } : {}) });
          await this.reporter.report({
            kind: 'command-progress',
            jobId,
            percent: p,
            message,
            ...(taskId ? { taskId } : {}),
            ...(extra ? { data: extra } : {}),
          });
        } catch (e) {
          this.log.warn({ err: (e as Error).message, jobId }, 'progress not reported');
        }
      },
    });
    return result;
  }

  start(): void {
    void this.worker.run().catch((e: Error) => this.log.error({ err: e.message }, 'command worker stopped'));
  }

  /** `force`: do not wait for running jobs (Redis is away, their results could not be written). */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
  }
}
