import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { startPeriodic } from '../common/periodic';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventRepository } from '../events/event.repository';
import { SchedulesRepository } from '../schedules/schedules.repository';
import { TaskRepository } from '../tasks/task.repository';
import { MigrationRepository } from '../vm-migration/migration.repository';

export interface PruneCounts {
  events: number;
  tasks: number;
  migrations: number;
  scheduleRuns: number;
}

/** Deletes one batch of expired rows, returns how many (each table's repository knows what expired). */
type DeleteBatch = (cutoff: Date, batch: number) => Promise<number>;

/**
 * Keeps the audit log, tasks, migration records and schedule runs from growing without end: every
 * `KELPIE_RETENTION_INTERVAL_MS` it deletes what is older than its retention, in batches of
 * `KELPIE_RETENTION_BATCH` rows (short statements: no long lock, no WAL burst, API writes interleave).
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private stop?: () => void;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly events: EventRepository,
    private readonly tasks: TaskRepository,
    private readonly migrations: MigrationRepository,
    private readonly schedules: SchedulesRepository,
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
      events: await this.pruneTable(r.eventsDays, now, (c, n) => this.events.deleteExpired(c, n)),
      tasks: await this.pruneTable(r.tasksDays, now, (c, n) => this.tasks.deleteFinished(c, n)),
      migrations: await this.pruneTable(r.migrationsDays, now, (c, n) =>
        this.migrations.deleteFinished(c, n),
      ),
      scheduleRuns: await this.pruneTable(r.scheduleRunsDays, now, (c, n) =>
        this.schedules.deleteExpiredRuns(c, n),
      ),
    };
    if (counts.events + counts.tasks + counts.migrations + counts.scheduleRuns > 0)
      this.logger.log(
        `pruned ${counts.events} events, ${counts.tasks} tasks, ${counts.migrations} migrations, ` +
          `${counts.scheduleRuns} schedule runs and finished schedules past retention`,
      );
    return counts;
  }

  /** Deletes batch after batch until a batch comes back short. 0 days keeps everything. */
  private async pruneTable(days: number, now: Date, deleteBatch: DeleteBatch) {
    if (days <= 0) return 0;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const batch = this.config.retention.batch;
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(cutoff, batch);
      total += deleted;
      if (deleted < batch) return total;
    }
  }
}
