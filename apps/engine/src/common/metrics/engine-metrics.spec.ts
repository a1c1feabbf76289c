import type { Request } from 'express';
import { EngineMetrics } from './engine-metrics';
import { routeTemplate } from './http-metrics';

describe('EngineMetrics', () => {
  it('counts a finished task by type and outcome and observes its duration', async () => {
    const m = new EngineMetrics();
    m.taskFinished('vm.start', 'succeeded', 1.5);
    m.taskFinished('vm.start', 'failed', 0.2);
    m.taskFinished('vm.start', 'succeeded', 0.5);
    const text = (await m.exposition()).body;
    expect(text).toContain('kelpie_tasks_finished_total{type="vm.start",outcome="succeeded"} 2');
    expect(text).toContain('kelpie_tasks_finished_total{type="vm.start",outcome="failed"} 1');
    expect(text).toContain('kelpie_task_duration_seconds_sum{type="vm.start",outcome="succeeded"} 2');
  });

  it('keeps two engines of one process apart (a registry each)', async () => {
    const a = new EngineMetrics();
    const b = new EngineMetrics();
    a.reports.inc({ kind: 'stats' });
    expect((await a.exposition()).body).toContain('kelpie_agent_reports_total{kind="stats"} 1');
    expect((await b.exposition()).body).not.toContain('kelpie_agent_reports_total{kind="stats"}');
  });

  it('observes migration downtime only when libvirt measured it', async () => {
    const m = new EngineMetrics();
    m.migrationSucceeded(800, 55);
    m.migrationSucceeded(900, null);
    const text = (await m.exposition()).body;
    expect(text).toContain('kelpie_migration_duration_seconds_count 2');
    expect(text).toContain('kelpie_migration_downtime_seconds_count 1');
    expect(text).toContain('kelpie_migration_downtime_seconds_sum 0.055');
  });
});

describe('routeTemplate', () => {
  it('labels by the matched template, never by the ids in the URL', () => {
    const req = {
      baseUrl: '',
      route: { path: '/api/v1/vms/:id/start' },
      originalUrl: '/api/v1/vms/42/start',
    };
    expect(routeTemplate(req as unknown as Request)).toBe('/api/v1/vms/:id/start');
  });

  it('puts every unmatched request under one label', () => {
    expect(routeTemplate({ baseUrl: '', originalUrl: '/x/123' } as unknown as Request)).toBe('unmatched');
  });
});
