import { FINAL_TASK_STATUSES, MigrationStatus } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { startPeriodic } from '../common/periodic';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';

export interface PruneCounts {
  events: number;
  tasks: number;
  migrations: number;
}

/** Each statement picks the ids of expired rows (rows another engine is deleting are skipped). */
const EXPIRED = {
  events: `SELECT id FROM event WHERE time < $1 ORDER BY time LIMIT $2 FOR UPDATE SKIP LOCKED`,
  // Only final tasks: a queued or running task is never pruned, however old.
  tasks: `SELECT id FROM task WHERE status = ANY($3) AND finished_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
  migrations: `SELECT id FROM vm_migration WHERE status <> $3 AND finished_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
} as const;

const TABLE = { events: 'event', tasks: 'task', migrations: 'vm_migration' } as const;

/**
 * Keeps the audit log, tasks and migration records from growing without end: every
 * `KELPIE_RETENTION_INTERVAL_MS` it deletes what is older than its retention, in batches of
 * `KELPIE_RETENTION_BATCH` rows (short statements: no long lock, no WAL burst, API writes interleave).
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private stop?: () => void;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.stop = startPeriodic(this.logger, 'pruning', this.config.retention.intervalMs, () => this.prune());
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  async prune(now = new Date()): Promise<PruneCounts> {
    const r = this.config.retention;
    const counts: PruneCounts = {
      events: await this.pruneTable('events', r.eventsDays, now, []),
      tasks: await this.pruneTable('tasks', r.tasksDays, now, [FINAL_TASK_STATUSES]),
      migrations: await this.pruneTable('migrations', r.migrationsDays, now, [MigrationStatus.Running]),
    };
    if (counts.events + counts.tasks + counts.migrations > 0)
      this.logger.log(
        `pruned ${counts.events} events, ${counts.tasks} tasks, ${counts.migrations} migrations past retention`,
      );
    return counts;
  }

  /** Deletes batch after batch until a batch comes back short. 0 days keeps everything. */
  private async pruneTable(kind: keyof PruneCounts, days: number, now: Date, extra: unknown[]) {
    if (days <= 0) return 0;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const batch = this.config.retention.batch;
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.db.query(`DELETE FROM ${TABLE[kind]} WHERE id IN (${EXPIRED[kind]})`, [
        cutoff,
        batch,
        ...extra,
      ])) as [unknown, number];
      total += deleted;
      if (deleted < batch) return total;
    }
  }
}
