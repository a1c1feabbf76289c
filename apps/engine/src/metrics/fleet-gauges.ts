import type { HostStatsSample, VmStatsSample } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { HeartbeatConsumer } from '../agents/heartbeat.consumer';
import { EngineMetrics, HOST_LABELS } from '../common/metrics/engine-metrics';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { ConsoleProxyService } from '../console/console-proxy.service';
import { REDIS } from '../redis/redis.module';
import { StatsHistoryService } from '../stats/stats-history.service';
import { readQueueDepths } from './command-queue-depth';
import { FleetMetricsRepository, HostRow } from './fleet-metrics.repository';

const VM_LABELS = ['vm', 'vm_id', 'host'] as const;
const KIB = 1024;

/**
 * Gauges of the fleet, set at every scrape from the shared state (Postgres, Redis): every engine of
 * a cluster reports the same values, so dashboards aggregate them with max(), never sum().
 */
@Injectable()
export class FleetGauges {
  private readonly g;

  constructor(
    private readonly metrics: EngineMetrics,
    private readonly db: FleetMetricsRepository,
    private readonly stats: StatsHistoryService,
    private readonly heartbeats: HeartbeatConsumer,
    private readonly consoles: ConsoleProxyService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {
    const m = metrics;
    this.g = {
      hostStatus: m.gauge(
        'kelpie_host_status',
        'One series per host with value 1, labelled with its status.',
        [...HOST_LABELS, 'status'],
      ),
      heartbeatAge: m.gauge(
        'kelpie_host_heartbeat_age_seconds',
        "Seconds since the host's agent last sent a heartbeat (absent: never).",
        HOST_LABELS,
      ),
      queueJobs: m.gauge(
        'kelpie_host_command_queue_jobs',
        "Commands in the host's queue, by state (waiting, active, delayed).",
        [...HOST_LABELS, 'state'],
      ),
      queueLag: m.gauge(
        'kelpie_host_command_queue_lag_seconds',
        'Age of the oldest command waiting for the host agent (0 when none waits).',
        HOST_LABELS,
      ),
      hostCpu: m.gauge('kelpie_host_cpu_percent', "Host CPU use in the agent's latest sample.", HOST_LABELS),
      hostMemTotal: m.gauge('kelpie_host_memory_total_bytes', 'Host memory (latest sample).', HOST_LABELS),
      hostMemFree: m.gauge('kelpie_host_memory_free_bytes', 'Free host memory (latest sample).', HOST_LABELS),
      hostVms: m.gauge('kelpie_host_vms', 'VMs per host and status in the inventory.', [
        ...HOST_LABELS,
        'status',
      ]),
      vmCpu: m.gauge('kelpie_vm_cpu_percent', "VM CPU use in its host's latest sample.", VM_LABELS),
      vmRss: m.gauge('kelpie_vm_memory_rss_bytes', 'Resident memory of the VM process.', VM_LABELS),
      tasksActive: m.gauge('kelpie_tasks_active', 'Tasks queued or running, by type and status.', [
        'type',
        'status',
      ]),
      consoleSessions: m.gauge(
        'kelpie_console_sessions',
        'Console WebSocket sessions this engine proxies now.',
        [],
      ),
    };
  }

  async refresh(now = Date.now()): Promise<void> {
    const [hosts, vms, vmCounts, tasks] = await Promise.all([
      this.db.hosts(),
      this.db.placedVms(),
      this.db.vmCounts(),
      this.db.activeTasks(),
    ]);
    const ids = hosts.map((h) => h.id);
    const [depths, hostSamples, vmSamples] = await Promise.all([
      readQueueDepths(this.redis, this.config.redisPrefix, ids, now),
      this.stats.latest('host', ids),
      this.stats.latest(
        'vm',
        vms.map((v) => v.id),
      ),
    ]);
    for (const gauge of Object.values(this.g)) gauge.reset();
    const byId = new Map(hosts.map((h) => [h.id, h]));
    hosts.forEach((h, i) => {
      const l = { host: h.name, host_id: h.id };
      this.g.hostStatus.set({ ...l, status: h.status }, 1);
      const last = this.lastHeartbeat(h);
      if (last !== null) this.g.heartbeatAge.set(l, Math.max(0, (now - last) / 1000));
      const d = depths.get(h.id);
      if (d) {
        for (const state of ['waiting', 'active', 'delayed'] as const)
          this.g.queueJobs.set({ ...l, state }, d[state]);
        this.g.queueLag.set(l, d.lagSeconds);
      }
      const s = hostSamples[i] as HostStatsSample | null;
      if (s) {
        this.g.hostCpu.set(l, s.cpuPercent);
        this.g.hostMemTotal.set(l, s.memTotalKiB * KIB);
        this.g.hostMemFree.set(l, s.memFreeKiB * KIB);
      }
    });
    for (const c of vmCounts) {
      const h = byId.get(c.key);
      this.g.hostVms.set({ host: h?.name ?? '', host_id: c.key, status: c.status }, c.count);
    }
    vms.forEach((v, i) => {
      const s = vmSamples[i] as VmStatsSample | null;
      if (!s) return;
      const l = { vm: v.name, vm_id: v.id, host: byId.get(v.hostId ?? '')?.name ?? '' };
      if (s.cpuPercent !== undefined) this.g.vmCpu.set(l, s.cpuPercent);
      if (s.rssKiB !== undefined) this.g.vmRss.set(l, s.rssKiB * KIB);
    });
    for (const t of tasks) this.g.tasksActive.set({ type: t.key, status: t.status }, t.count);
    this.g.consoleSessions.set(this.consoles.sessionCount);
  }

  /** The newer of the recorded heartbeat and one this engine received but has not written yet. */
  private lastHeartbeat(h: HostRow): number | null {
    const recorded = h.lastHeartbeatAt ? new Date(h.lastHeartbeatAt).getTime() : null;
    const seen = this.heartbeats.lastSeen(h.id) ?? null;
    if (recorded === null) return seen;
    return seen === null ? recorded : Math.max(recorded, seen);
  }
}
