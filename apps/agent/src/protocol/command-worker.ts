import { commandQueueName } from '@kelpie/shared-types';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { toAgentError, toBullError } from './agent-error';
import type { AtMostOnce } from './at-most-once';
import type { CommandDispatcher } from './dispatcher';
import type { Reporter } from './reporter';

export interface CommandWorkerOptions {
  hostId: string;
  prefix: string;
  concurrency: number;
  connection: Redis;
  /** How long a job's lock lives without renewal (BullMQ renews it at half): an agent that died is
   * noticed by the engine's watchdog (no live lock) and by this worker's stalled check after that. */
  lockMs: number;
}

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
    const data = job.data as { taskId?: unknown } | undefined;
    const taskId = typeof data?.taskId === 'string' ? data.taskId : undefined;
    try {
      return await this.once.run(jobId, job.data, () => this.dispatch(job, jobId, taskId));
    } catch (e) {
      throw toBullError(toAgentError(e));
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

  async close(): Promise<void> {
    await this.worker.close();
  }
}
