import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { bullConnection } from '../agents/bullmq-connection';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import type { ScheduleEntity } from './schedule.entity';
import { ScheduleRunner } from './schedule-runner';
import { SchedulesRepository } from './schedules.repository';

/** One queue on the engine's Redis (its prefix); every engine runs a worker on it. */
export const SCHEDULE_QUEUE = 'schedules';

interface RunJob {
  scheduleId: string;
  /** One-time schedules: the due time. A cron job's due time is its scheduler's `prevMillis`. */
  dueAt?: string;
}

/** BullMQ's own ids: one job scheduler per recurring schedule, one delayed job per one-time one. */
const schedulerId = (id: string) => `schedule-${id}`;
const oneTimeJobId = (id: string) => `schedule-${id}`;

/**
 * When schedules run: BullMQ delayed jobs (one time) and job schedulers (cron) on the engine's Redis.
 * BullMQ hands each job to one worker; the run's row in Postgres (ScheduleRunner) makes it once
 * even if a job is delivered twice. Postgres holds the schedules, so at boot every active one is
 * armed again (Redis may have been flushed, or the schedule created while Redis was away).
 */
@Injectable()
export class ScheduleQueue implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleQueue.name);
  private queueConnection?: Redis;
  private workerConnection?: Redis;
  private queue?: Queue<RunJob>;
  private worker?: Worker<RunJob>;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly repo: SchedulesRepository,
    private readonly runner: ScheduleRunner,
  ) {}

  onModuleInit(): void {
    this.queueConnection = bullConnection(this.config, 'schedules');
    this.workerConnection = bullConnection(this.config, 'schedules-worker');
    this.queue = new Queue<RunJob>(SCHEDULE_QUEUE, {
      connection: this.queueConnection,
      prefix: this.config.redisPrefix,
    });
    this.queue.on('error', (err) => this.logger.debug(`queue: ${err.message}`));
    this.worker = new Worker<RunJob>(SCHEDULE_QUEUE, (job) => this.handle(job), {
      connection: this.workerConnection,
      prefix: this.config.redisPrefix,
      concurrency: 4,
    });
    this.worker.on('error', (err) => this.logger.debug(`worker: ${err.message}`));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const s of await this.repo.active())
      await this.arm(s).catch((err: Error) =>
        this.logger.warn(`schedule ${s.id} not armed at boot: ${err.message}`),
      );
  }

  async onApplicationShutdown(): Promise<void> {
    this.workerConnection?.disconnect();
    this.queueConnection?.disconnect();
    await this.worker?.close(true);
    await this.queue?.close().catch(() => undefined);
  }

  /** Makes sure Redis will fire it (idempotent: an existing job or scheduler is kept). */
  async arm(s: ScheduleEntity): Promise<void> {
    const data: RunJob = { scheduleId: s.id };
    const keep = { removeOnComplete: { count: 0 }, removeOnFail: { count: 100 } };
    if (s.cron) {
      await this.queue!.upsertJobScheduler(
        schedulerId(s.id),
        { pattern: s.cron, tz: s.timezone },
        { name: 'run', data, opts: keep },
      );
      return;
    }
    // A one-time run that already happened (its job completed and is gone) is not armed again.
    if (await this.repo.hasRun(s.id)) return this.repo.markDone(s.id);
    const delay = Math.max(0, s.runAt!.getTime() - Date.now());
    await this.queue!.add(
      'run',
      { ...data, dueAt: s.runAt!.toISOString() },
      { jobId: oneTimeJobId(s.id), delay, ...keep },
    );
  }

  /** Takes it out of Redis. A run already under way finishes (its task is left alone). */
  async disarm(s: ScheduleEntity): Promise<void> {
    if (s.cron) {
      await this.queue!.removeJobScheduler(schedulerId(s.id));
      return;
    }
    const job = await this.queue!.getJob(oneTimeJobId(s.id));
    // An active job is locked by its worker: it finds the schedule cancelled or has already claimed.
    await job?.remove().catch(() => undefined);
  }

  private async handle(job: Job<RunJob>): Promise<void> {
    const due = job.data.dueAt ? Date.parse(job.data.dueAt) : (job.opts.prevMillis ?? job.timestamp);
    await this.runner.run(job.data.scheduleId, new Date(due));
  }
}
