import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from a quick GET to a slow create; everything above 10 s lands in +Inf. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: tasks run from a few milliseconds (edit) to many minutes (a large migration or clone). */
const TASK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];
/** Seconds of a migration's switch-over pause: tens of milliseconds when all is well. */
const DOWNTIME_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Labels of per-host series: the name people read and the id that survives a rename. */
export const HOST_LABELS = ['host', 'host_id'] as const;

/**
 * The engine's Prometheus instruments, in a registry of its own (several engines may share one
 * process in tests; the default global registry would mix them). Event counters and histograms are
 * fed where the events happen; the fleet's gauges are read from Postgres and Redis at scrape time
 * (see metrics/fleet-gauges.ts), so every engine of a cluster reports the same fleet.
 */
@Injectable()
export class EngineMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'kelpie_http_request_duration_seconds',
    help: 'API request latency by route template (not the raw URL), method and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  readonly tasksFinished = new Counter({
    name: 'kelpie_tasks_finished_total',
    help: 'Tasks that reached a final state, by task type and outcome.',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  readonly taskDuration = new Histogram({
    name: 'kelpie_task_duration_seconds',
    help: 'Time from a task being queued to its final state, by type and outcome.',
    labelNames: ['type', 'outcome'],
    buckets: TASK_BUCKETS,
    registers: [this.registry],
  });

  readonly reports = new Counter({
    name: 'kelpie_agent_reports_total',
    help: 'Agent reports applied by this engine, by kind (hello, inventory, domain-changed, stats…).',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  readonly migrationDuration = new Histogram({
    name: 'kelpie_migration_duration_seconds',
    help: 'Total time of successful live migrations, as libvirt measured it.',
    buckets: TASK_BUCKETS,
    registers: [this.registry],
  });

  readonly migrationDowntime = new Histogram({
    name: 'kelpie_migration_downtime_seconds',
    help: 'Guest pause of successful live migrations at the switch-over.',
    buckets: DOWNTIME_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose value is computed at scrape time. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames: [...labelNames], registers: [this.registry] });
  }

  taskFinished(type: string, outcome: string, seconds: number): void {
    this.tasksFinished.inc({ type, outcome });
    this.taskDuration.observe({ type, outcome }, Math.max(0, seconds));
  }

  migrationSucceeded(totalMs: number, downtimeMs: number | null): void {
    this.migrationDuration.observe(totalMs / 1000);
    if (downtimeMs !== null) this.migrationDowntime.observe(downtimeMs / 1000);
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
