import { commandQueueName } from '@kelpie/shared-types';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { toAgentError, toBullError } from './agent-error';
import type { CommandDispatcher } from './dispatcher';
import type { Reporter } from './reporter';

export interface CommandWorkerOptions {
  hostId: string;
  prefix: string;
  concurrency: number;
  connection: Redis;
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
  ) {
    this.queueName = commandQueueName(opts.hostId);
    this.worker = new Worker(this.queueName, (job) => this.process(job), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      autorun: false,
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
    } catch (e) {
      throw toBullError(toAgentError(e));
    }
  }

  start(): void {
    void this.worker.run().catch((e: Error) => this.log.error({ err: e.message }, 'command worker stopped'));
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}
