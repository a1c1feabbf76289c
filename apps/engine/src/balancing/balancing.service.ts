import { BalancePlan, HostStatus, ObjectType, Task, TaskStatus } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { notFound } from '../common/errors/domain-error';
import { startPeriodic } from '../common/periodic';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { REDIS } from '../redis/redis.module';
import { SchedulingRepository } from '../scheduling/scheduling.repository';
import { schedCluster, schedHost } from '../scheduling/scheduling.service';
import { StreamService } from '../stream/stream.service';
import { MigrationRepository } from '../vm-migration/migration.repository';
import { VmMigrationService } from '../vm-migration/vm-migration.service';
import { MAINTENANCE_TASK } from '../maintenance/maintenance.service';
import { ROLLING_TASK } from '../maintenance/rolling-steps';
import { TasksService } from '../tasks/tasks.service';
import { pausedHosts } from './maintenance-pause';
import { BalanceHost, BalanceVm, planBalance } from './plan-balance';

/** The actor of the migrations balancing starts (tasks, events, audit). */
export const BALANCER_ACTOR = 'balancer';

/**
 * Periodic balancing of the clusters that turned it on: every `KELPIE_BALANCE_INTERVAL_MS` one engine
 * (a Redis lock, as the garbage collector) plans each such cluster with `planBalance` and starts the
 * batch as ordinary `vm.migrate` tasks whose target reason begins with the balancing reason. A cluster
 * with a migration of its VMs still running waits for the next run (one batch at a time); a VM that
 * migrated within `KELPIE_BALANCE_COOLDOWN_MS` is left where it is; a host a maintenance involves is
 * neither a source nor a target (maintenance-pause.ts). The dry run is the same plan.
 */
@Injectable()
export class BalancingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Balancing');
  private stop?: () => void;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly repo: SchedulingRepository,
    private readonly migrationRows: MigrationRepository,
    private readonly migrations: VmMigrationService,
    private readonly events: EventsService,
    private readonly stream: StreamService,
    private readonly tasks: TasksService,
  ) {}

  onModuleInit(): void {
    const every = this.config.balancing.intervalMs;
    if (every > 0) this.stop = startPeriodic(this.logger, 'balancing', every, () => this.runLocked());
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** What the next run would do for the cluster (whether or not its balancing is on). */
  async plan(clusterId: string): Promise<BalancePlan> {
    const cluster = await this.repo.cluster(clusterId).catch(() => null);
    if (!cluster) throw notFound(ObjectType.Cluster, clusterId);
    const hosts = await this.repo.hostsOf(clusterId);
    const hostIds = hosts.map((h) => h.id);
    const [load, bridges, running, paused] = await Promise.all([
      this.repo.loadOf(hostIds),
      this.repo.bridgesOf(hostIds),
      this.repo.runningVmsOf(clusterId),
      this.pausedFor(clusterId, hostIds),
    ]);
    const placed = running.filter((v) => v.hostId && hostIds.includes(v.hostId));
    const since = new Date(Date.now() - this.config.balancing.cooldownMs);
    const [coolingDown, vms] = await Promise.all([
      this.migrationRows.movedSince(
        placed.map((v) => v.id),
        since,
      ),
      Promise.all(
        placed.map(async (v): Promise<BalanceVm> => ({
          id: v.id,
          name: v.name,
          clusterId: v.clusterId,
          memoryMib: v.memoryMib,
          vcpus: v.vcpus,
          hostId: v.hostId!,
          networks: await this.repo.networksOf(v.id),
          rules: await this.repo.rulesFor(v.id),
        })),
      ),
    ]);
    const facts: BalanceHost[] = hosts.map((h) => ({
      ...schedHost(h, load.get(h.id)!),
      bridges: bridges.get(h.id) ?? null,
      load1: h.status === HostStatus.Up && h.load ? h.load.load1 : null,
    }));
    return planBalance({
      cluster: {
        ...schedCluster(cluster),
        thresholds: cluster.schedulingThresholds,
        balancingEnabled: cluster.balancingEnabled,
      },
      hosts: facts,
      running: vms,
      coolingDown,
      batch: this.config.balancing.batch,
      paused,
    });
  }

  /** The cluster's hosts a maintenance involves now (maintenance-pause.ts). */
  private async pausedFor(clusterId: string, hostIds: string[]): Promise<Map<string, string>> {
    const running = (type: string, objectId?: string) =>
      this.tasks
        .list({ type, status: TaskStatus.Running, objectId, limit: 500, offset: 0 } as never)
        .then((page) => page.items);
    const [evacuations, rolling] = await Promise.all([
      running(MAINTENANCE_TASK),
      running(ROLLING_TASK, clusterId),
    ]);
    return pausedHosts(hostIds, evacuations, rolling);
  }

  /** One run over every cluster with balancing on, by one engine at a time. */
  async runLocked(): Promise<void> {
    const key = `${this.config.redisPrefix}:balancing:lock`;
    const token = `${this.stream.engineId}:${Date.now()}`;
    const ttl = Math.max(60_000, this.config.balancing.intervalMs * 2);
    if ((await this.redis.set(key, token, 'PX', ttl, 'NX')) !== 'OK') return;
    try {
      for (const id of await this.repo.balancedClusterIds())
        await this.runCluster(id).catch((err: Error) =>
          this.logger.warn(`balancing cluster ${id} failed: ${err.message}`),
        );
    } finally {
      if ((await this.redis.get(key)) === token) await this.redis.del(key);
    }
  }

  /** Plans the cluster and starts its batch; nothing while an earlier move of its VMs still runs. */
  async runCluster(clusterId: string): Promise<Task[]> {
    // Every VM on the cluster's hosts, whatever its status: one being moved is migrating, not up (the
    // running VMs alone would miss it, and a batch planned on its source's memory would follow).
    const hostIds = (await this.repo.hostsOf(clusterId)).map((h) => h.id);
    const placed = [...(await this.repo.loadOf(hostIds)).values()].flatMap((l) => l.vmIds);
    if (await this.migrationRows.runningAmong(placed)) return [];
    const plan = await this.plan(clusterId);
    if (!plan.balancingEnabled || !plan.moves.length) return [];
    const correlationId = `balance-${randomUUID()}`;
    const started: Task[] = [];
    for (const move of plan.moves) {
      try {
        started.push(
          await this.migrations.migrate(
            move.vmId,
            { targetHostId: move.toHostId },
            { actor: BALANCER_ACTOR, correlationId },
            undefined,
            `balancing ${move.reason}`,
          ),
        );
      } catch (err) {
        // The facts changed since the plan (the VM stopped, the host left): the next run plans again.
        await this.events.record({
          type: 'cluster.balancing_move_refused',
          message: `balancing could not move VM ${move.vmName} to ${move.toHostName}: ${(err as Error).message}`,
          refs: [
            { type: ObjectType.Cluster, id: clusterId },
            { type: ObjectType.Vm, id: move.vmId, name: move.vmName },
          ],
          correlationId,
        });
      }
    }
    return started;
  }
}
