import {
  ErrorCode,
  EventSeverity,
  HostStatus,
  ObjectType,
  RollingHostAction,
  statusPhrase,
  Task,
  TaskStatus,
  TaskStep,
} from '@kelpie/shared-types';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ClustersService } from '../clusters/clusters.service';
import { DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { HostsService } from '../hosts/hosts.service';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { isFinal, TaskContext, TasksService } from '../tasks/tasks.service';
import { VmMigrationService } from '../vm-migration/vm-migration.service';
import { MAINTENANCE_TASK, MaintenanceService } from './maintenance.service';
import {
  readCheckpoint,
  ROLLING_TASK,
  RollingCheckpoint,
  RollingStage,
  rollingPercent,
  rollingSteps,
} from './rolling-steps';

/** How often a waiting stage looks at the host again (and at a cancel). */
const POLL_MS = 1000;
/** Longest a host may take to be up (with a fresh heartbeat) after it was activated. */
const UP_WAIT_MS = 10 * 60_000;

/** Thrown inside the run once its task was cancelled: the run stops where it is. */
class RunCancelled extends Error {}

/**
 * Rolling maintenance of a cluster: one host at a time → maintenance (the host's own evacuation:
 * its plan, the one scheduler, never onto a host in or preparing for maintenance or not Up) → the
 * admin's per-host action (activate at once, or wait until the admin continues) → activated →
 * up again → the next host. The whole run is one task with a step per host; its checkpoint holds
 * the run (hosts, current host, stage), so an engine adopting it continues where it was. A VM that
 * cannot leave keeps its host preparing with that VM named and the single-host choices
 * (`POST /hosts/{id}/maintenance/resolve`); the run waits for them, and stops if the admin activates
 * that host instead.
 */
@Injectable()
export class RollingMaintenance implements OnModuleInit {
  private readonly logger = new Logger('RollingMaintenance');

  constructor(
    private readonly clusters: ClustersService,
    private readonly hosts: HostsService,
    private readonly hostRows: HostRepository,
    private readonly tasks: TasksService,
    private readonly maintenance: MaintenanceService,
    private readonly migrations: VmMigrationService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(ROLLING_TASK, (ctx, cp) => this.adopt(ctx, cp));
    // The run notices the cancel at its next look at the host and stops there.
    this.tasks.registerCanceller(ROLLING_TASK, async (task, reason) => {
      await this.tasks.cancel(task.id, reason);
    });
  }

  async start(
    clusterId: string,
    dto: { action?: RollingHostAction; hostIds?: string[] },
    meta: RequestMeta,
  ): Promise<Task> {
    const cluster = await this.clusters.get(clusterId);
    const clusterRef = { type: ObjectType.Cluster, id: cluster.id, name: cluster.name };
    const all = await this.hostRows.inCluster(cluster.id);
    const hosts = dto.hostIds ? this.chosen(all, dto.hostIds, cluster.name) : all;
    if (!hosts.length)
      throw invalidState(`cluster ${cluster.name} has no hosts to maintain`, [
        { reason: 'no hosts', ref: clusterRef },
      ]);
    const notUp = hosts.filter((h) => h.status !== HostStatus.Up);
    if (notUp.length)
      throw invalidState(
        `every host of a rolling maintenance must be up: ${notUp.map((h) => `${h.name} is ${statusPhrase(h.status)}`).join(', ')}`,
        notUp.map((h) => ({
          reason: `status is ${h.status}`,
          ref: { type: ObjectType.Host, id: h.id, name: h.name },
        })),
      );
    const running = await this.runningOn(cluster.id);
    if (running)
      throw invalidState(`a rolling maintenance of cluster ${cluster.name} is already running`, [
        { reason: 'a rolling maintenance task is running', ref: { type: ObjectType.Task, id: running.id } },
      ]);
    for (const h of hosts) await this.maintenance.assertNotEvacuating(h);

    const cp: RollingCheckpoint = {
      clusterId: cluster.id,
      hosts: hosts.map((h) => ({ id: h.id, name: h.name })),
      action: dto.action ?? 'reactivate',
      index: 0,
      stage: 'entering',
      maintenanceTaskId: null,
    };
    return this.tasks.launch(
      {
        type: ROLLING_TASK,
        target: clusterRef,
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        steps: rollingSteps({ ...cp, index: -1 }),
      },
      (ctx) => this.run(ctx, cp),
    );
  }

  /** `hostIds` as hosts of the cluster, in the admin's order; 400 naming a stranger or a repeat. */
  private chosen(all: HostEntity[], ids: string[], clusterName: string): HostEntity[] {
    const byId = new Map(all.map((h) => [h.id, h]));
    const problems = ids
      .map((id, i) =>
        !byId.has(id)
          ? { field: `hostIds[${i}]`, reason: `host ${id} is not in cluster ${clusterName}` }
          : ids.indexOf(id) !== i
            ? { field: `hostIds[${i}]`, reason: `host ${byId.get(id)!.name} is listed twice` }
            : null,
      )
      .filter((p): p is { field: string; reason: string } => !!p);
    if (problems.length)
      throw validationFailed('hostIds must list hosts of the cluster, once each', problems);
    return ids.map((id) => byId.get(id)!);
  }

  /** The cluster's running rolling maintenance task, if any. */
  async runningOn(clusterId: string): Promise<Task | undefined> {
    return (await this.tasks.activeOn(clusterId)).find((t) => t.type === ROLLING_TASK);
  }

  /**
   * `wait_for_admin`: the admin is done with the host the run waits on; it is activated and the run
   * goes on. 409 when no run of the cluster waits for the admin.
   */
  async continueRun(clusterId: string, meta: RequestMeta): Promise<HostEntity> {
    const cluster = await this.clusters.get(clusterId);
    const task = await this.runningOn(cluster.id);
    const waiting = task?.steps.find((s) => s.status === 'running' && s.message?.startsWith(WAITING));
    if (!task || !waiting?.objectId)
      throw invalidState(`no rolling maintenance of cluster ${cluster.name} is waiting for the admin`, [
        {
          reason: task
            ? 'its current host is not waiting in maintenance'
            : 'no rolling maintenance is running',
          ref: task ? { type: ObjectType.Task, id: task.id } : { type: ObjectType.Cluster, id: cluster.id },
        },
      ]);
    return this.maintenance.activate(waiting.objectId, meta);
  }

  /** An engine died during the run: continue it from its checkpoint (each stage re-reads the host). */
  private async adopt(ctx: TaskContext, stored: TaskCheckpoint): Promise<Record<string, unknown>> {
    const cp = readCheckpoint(stored);
    if (!cp)
      throw new TaskUnknowable(
        'the engine running this rolling maintenance stopped before it recorded its hosts; check the hosts of the cluster and start it again',
      );
    return this.run(ctx, cp);
  }

  /** Runs (or continues) the run from `cp`: the current host's stage first, then every later host. */
  async run(ctx: TaskContext, from: RollingCheckpoint): Promise<Record<string, unknown>> {
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    let cp = from;
    try {
      for (
        ;
        cp.index < cp.hosts.length;
        cp = { ...cp, index: cp.index + 1, stage: 'entering', maintenanceTaskId: null }
      )
        await this.oneHost(ctx, cp, meta);
    } catch (e) {
      if (e instanceof RunCancelled) return {};
      throw e;
    }
    await ctx.progress(100, `${cp.hosts.length} host(s) maintained one at a time`, {
      steps: rollingSteps(cp),
    });
    await this.migrations.recordEvent(
      EventSeverity.Info,
      'cluster.rolling_maintenance',
      `rolling maintenance done: ${cp.hosts.map((h) => h.name).join(', ')} each in maintenance once and up again`,
      [{ type: ObjectType.Cluster, id: cp.clusterId }],
      meta.correlationId,
    );
    return { clusterId: cp.clusterId, hosts: cp.hosts };
  }

  private async oneHost(ctx: TaskContext, start: RollingCheckpoint, meta: RequestMeta): Promise<void> {
    let cp = start;
    const host = cp.hosts[cp.index]!;
    const at = async (
      stage: RollingStage,
      extra: Partial<RollingCheckpoint> = {},
      step?: Partial<TaskStep>,
    ) => {
      await this.assertNotCancelled(ctx);
      cp = { ...cp, ...extra, stage };
      await ctx.checkpoint(stage, { ...cp });
      await this.publish(ctx, cp, step);
    };
    if (cp.stage === 'entering') {
      await at('entering', { maintenanceTaskId: cp.maintenanceTaskId });
      const taskId = cp.maintenanceTaskId ?? (await this.enter(host.id, meta));
      if (taskId !== cp.maintenanceTaskId) await at('entering', { maintenanceTaskId: taskId });
      const status = await this.evacuated(ctx, host, taskId);
      cp = { ...cp, stage: status === HostStatus.Maintenance ? 'maintenance' : 'blocked' };
    }
    if (cp.stage === 'blocked') {
      const reason = (await this.hosts.get(host.id)).statusReason ?? 'a VM could not leave';
      await at('blocked', {}, { status: 'running', message: `blocked: ${reason}` });
      await this.untilResolved(ctx, host);
      cp = { ...cp, stage: 'maintenance' };
    }
    if (cp.stage === 'maintenance') {
      if (cp.action === 'wait_for_admin') {
        await at('maintenance', {}, { status: 'running', message: `${WAITING}: ${CONTINUE_HINT}` });
        await this.until(ctx, host, (h) => h.status !== HostStatus.Maintenance);
      } else await at('maintenance');
      cp = { ...cp, stage: 'activating' };
    }
    await at('activating');
    await this.activated(ctx, host, meta);
  }

  /** Starts the host's maintenance (the single-host evacuation); its task id. A redone stage finds
   * the maintenance an engine started before it died (the host is already leaving Up). */
  private async enter(hostId: string, meta: RequestMeta): Promise<string> {
    const host = await this.hosts.get(hostId);
    if (host.status === HostStatus.Up) return (await this.maintenance.enter(host.id, meta)).id;
    const running = (await this.tasks.activeOn(host.id)).find((t) => t.type === MAINTENANCE_TASK);
    if (running) return running.id;
    if (host.status === HostStatus.PreparingForMaintenance || host.status === HostStatus.Maintenance)
      return ''; // entered meanwhile, its task already ended: the host's status tells the outcome
    throw new DomainError(
      ErrorCode.InvalidState,
      `host ${host.name} is ${statusPhrase(host.status)}: it cannot enter maintenance; the rolling maintenance stops`,
    );
  }

  /** Waits for the host's maintenance task; the host's status then: maintenance, or preparing (a VM
   * stayed). Any other status (activated meanwhile, lost) stops the run. */
  private async evacuated(
    ctx: TaskContext,
    host: { id: string; name: string },
    taskId: string,
  ): Promise<HostStatus> {
    if (taskId)
      for (
        let t = await this.tasks.get(taskId);
        !isFinal(t.status);
        t = await this.tasks.wait(taskId, POLL_MS * 2)
      )
        await this.assertNotCancelled(ctx);
    const current = await this.hosts.get(host.id);
    if (current.status === HostStatus.Maintenance || current.status === HostStatus.PreparingForMaintenance)
      return current.status;
    throw new DomainError(
      ErrorCode.InvalidState,
      `host ${host.name} became ${statusPhrase(current.status)} instead of entering maintenance; the rolling maintenance stops`,
    );
  }

  /** A host kept preparing by a VM: waits until the admin's choice puts it in maintenance. */
  private async untilResolved(ctx: TaskContext, host: { id: string; name: string }): Promise<void> {
    const h = await this.until(ctx, host, (x) => x.status !== HostStatus.PreparingForMaintenance);
    if (h.status !== HostStatus.Maintenance)
      throw new DomainError(
        ErrorCode.InvalidState,
        `host ${host.name} became ${statusPhrase(h.status)} while a VM kept it from maintenance (maintenance cancelled); the rolling maintenance stops before the next host`,
      );
  }

  /** Activates the host (unless someone did) and waits for it to be up with a heartbeat since. */
  private async activated(ctx: TaskContext, host: { id: string; name: string }, meta: RequestMeta) {
    const since = Date.now();
    const current = await this.hosts.get(host.id);
    if (current.status === HostStatus.Maintenance || current.status === HostStatus.PreparingForMaintenance)
      await this.maintenance.activate(host.id, meta);
    const deadline = Date.now() + UP_WAIT_MS;
    const up = await this.until(
      ctx,
      host,
      (h) =>
        (h.status === HostStatus.Up && (h.lastHeartbeatAt?.getTime() ?? 0) >= since - POLL_MS) ||
        Date.now() > deadline,
    );
    if (up.status !== HostStatus.Up || (up.lastHeartbeatAt?.getTime() ?? 0) < since - POLL_MS)
      throw new DomainError(
        ErrorCode.InvalidState,
        `host ${host.name} is not up ${UP_WAIT_MS / 60_000} min after its activation (${statusPhrase(up.status)}); the rolling maintenance stops before the next host`,
      );
  }

  /** Polls the host until `done` (each round also stops the run once it is cancelled). */
  private async until(
    ctx: TaskContext,
    host: { id: string },
    done: (h: HostEntity) => boolean,
  ): Promise<HostEntity> {
    for (;;) {
      await this.assertNotCancelled(ctx);
      const h = await this.hosts.get(host.id);
      if (done(h)) return h;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async assertNotCancelled(ctx: TaskContext): Promise<void> {
    if (await ctx.isCancelled()) {
      this.logger.log(`rolling maintenance ${ctx.task.id} cancelled; it stops here`);
      throw new RunCancelled();
    }
  }

  private async publish(ctx: TaskContext, cp: RollingCheckpoint, step?: Partial<TaskStep>): Promise<void> {
    const current = step ? { status: step.status ?? 'running', message: step.message } : undefined;
    const host = cp.hosts[cp.index]!;
    await ctx
      .progress(rollingPercent(cp), `host ${cp.index + 1} of ${cp.hosts.length}: ${host.name}`, {
        steps: rollingSteps(cp, current),
      })
      .catch(async (e: Error) => {
        // A cancelled task takes no progress: the run stops at its next look.
        if ((await this.tasks.get(ctx.task.id)).status !== TaskStatus.Cancelled) throw e;
      });
  }
}

/** The step message of a host the run waits on (`continueRun` finds the host by it). */
const WAITING = 'in maintenance, waiting for the admin';
const CONTINUE_HINT = 'continue with POST /clusters/{id}/rolling-maintenance/continue or activate the host';
