import { CommandPayload, ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { basename } from 'node:path';
import { agentCodeOf } from '../agents/agent-error.mapping';
import { DomainError } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DisksService } from '../disks/disks.service';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { checkpointHost, TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmRepository } from '../vms/vm.repository';

export const DISK_MOVE_TASK = 'disk.move';

/** What a live move does, as its checkpoint keeps it: enough for another engine to finish it. */
export interface LiveMovePlan {
  diskId: string;
  vmId: string;
  from: string;
  to: string;
  fromPool: string;
  oldPath: string;
  payload: CommandPayload<'disk.live-move'>;
}

/** The copy's step, sent under `<task>-live-move`; `live-move-again` when a lost copy is sent anew. */
const STEP = 'live-move';
const AGAIN = 'live-move-again';
/** The phase written once the copy pivoted, before the record follows (the new path with it). */
const SWITCHING = 'switching';
/** Agent errors that say nothing about whether the copy went on (the agent died, Redis lost it). */
const UNSURE = new Set(['outcome_unknown', 'command_lost', 'timeout']);
const isCancellation = (err: unknown) => err instanceof Error && /disk move cancelled/i.test(err.message);

/**
 * The running VM's host mirrors a disk into a new volume of the target domain and pivots to it
 * (`disk.live-move`), then the record follows and the old volume goes. The copy runs in QEMU, not in
 * the engine or the agent: when either dies meanwhile, what the host shows decides. The copy's job
 * (re-attached: the restarted agent takes the copy over) or, its outcome lost, the domain's disk
 * source: on the new volume → the bookkeeping is done; still on the old one → the copy is sent
 * again (the agent rejoins a copy QEMU still runs, or starts it anew). The same settling serves an
 * engine adopting the task of a dead one.
 */
@Injectable()
export class LiveDiskMoves implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly guard: VmGuard,
    private readonly probe: TaskProbe,
    private readonly disks: DisksService,
    private readonly hosts: HostsService,
    private readonly vms: VmRepository,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(DISK_MOVE_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async run(ctx: TaskContext, host: HostEntity, plan: LiveMovePlan, meta: RequestMeta) {
    let path: string;
    try {
      ({ path } = await this.guard.sendStep(host, 'disk.live-move', plan.payload, ctx, STEP, { plan }));
    } catch (err) {
      if (!UNSURE.has(agentCodeOf(err) ?? '')) return this.failed(ctx, err);
      path = await this.settle(ctx, host, plan, `${ctx.task.id}-${STEP}`).catch((e) => this.failed(ctx, e));
    }
    return this.finish(ctx, host, plan, path, meta);
  }

  /** A dead engine's live move: settled from the host, then finished as the original would have. */
  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const plan = cp.plan as LiveMovePlan | undefined;
    // An offline copy writes no plan: it is short, and nothing tells whether it completed.
    if (!plan)
      throw new TaskUnknowable(
        'the engine copying this disk offline stopped; check that the disk’s record names an existing volume, and move it again if not',
      );
    const host = await checkpointHost(
      this.hosts,
      cp,
      `the host that was moving disk ${plan.diskId} is gone; check the VM’s disk source where it runs`,
    );
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    await ctx
      .progress(ctx.task.progress, `engine stopped; settling the copy on ${host.name}`)
      .catch(() => undefined);
    const path =
      cp.phase === SWITCHING
        ? (cp.path as string)
        : await this.settle(ctx, host, plan, cp.jobId as string).catch((e) => this.failed(ctx, e));
    return this.finish(ctx, host, plan, path, meta);
  }

  /** Where the copy sent under `jobId` ended: its result (waiting while it runs), else the domain's
   * disk source; a copy that is neither done nor failed is sent again. */
  private async settle(ctx: TaskContext, host: HostEntity, plan: LiveMovePlan, jobId: string) {
    const out = await this.probe.outcome(host, 'disk.live-move', jobId);
    if (out.state === 'completed') return out.result.path;
    if (out.state === 'failed')
      throw new DomainError(ErrorCode.Unprocessable, `disk.live-move on ${host.name}: ${out.error.message}`);
    const source = await this.sourceNow(host, plan);
    if (source !== plan.oldPath && source?.endsWith(`/${plan.payload.toVolume}`)) return source;
    await ctx.progress(ctx.task.progress, `the copy's outcome was lost; ${host.name} copies again`);
    const { path } = await this.guard.sendStep(host, 'disk.live-move', plan.payload, ctx, AGAIN, { plan });
    return path;
  }

  /** The disk's source as the VM's host runs it now. */
  private async sourceNow(host: HostEntity, plan: LiveMovePlan): Promise<string | null> {
    const vm = await this.vms.byId(plan.vmId);
    const devices = vm ? await this.probe.devices(vm, host) : null;
    if (!devices)
      throw new TaskUnknowable(
        `the VM of disk ${plan.diskId} is not on ${host.name} any more; check which volume its disk ${plan.payload.targetDev} reads`,
      );
    return devices.disks.find((d) => d.target === plan.payload.targetDev)?.path ?? null;
  }

  /** The copy pivoted to `path`: the record follows, then the old volume goes (both idempotent). */
  private async finish(
    ctx: TaskContext,
    host: HostEntity,
    plan: LiveMovePlan,
    path: string,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    await ctx.checkpoint(SWITCHING, { path });
    await this.disks.setLocation(plan.diskId, plan.to, path, meta);
    await ctx.progress(97, 'deleting the old volume');
    await this.guard.send(host, 'image.delete', { pool: plan.fromPool, volume: basename(plan.oldPath) }, ctx);
    const { diskId, from, to } = plan;
    return { diskId, from, to, hostId: host.id, volumePath: path, live: true };
  }

  /** A cancelled copy ends the task cancelled (the disk stays where it was); any other failure fails it. */
  private async failed(ctx: TaskContext, err: unknown): Promise<never> {
    if (isCancellation(err))
      await this.tasks
        .cancel(ctx.task.id, `${(err as Error).message}; the disk stays where it was`)
        .catch(() => undefined);
    throw err;
  }
}
