import { DomainSnapshotInfo, ErrorCode, ObjectType } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError, notFound } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { DomainAbsent, TaskProbe } from '../vm-guard/task-probe';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { SnapshotRepository } from '../snapshots/snapshot.repository';
import {
  SNAPSHOT_CREATE_TASK,
  SNAPSHOT_DELETE_TASK,
  SNAPSHOT_REVERT_TASK,
  VmSnapshotsService,
} from './vm-snapshots.service';

/**
 * Adopts snapshot tasks of a dead engine (create and revert below). `vm.snapshot.delete`: The agent keeps merging when the engine dies;
 * the adopter sends the delete again under the same job id (BullMQ attaches it to the first run
 * while Redis keeps that job, so nothing runs twice; otherwise it removes whatever is left, and a
 * snapshot already gone deletes successfully), checks that the host no longer lists the snapshot,
 * and drops its record.
 */
@Injectable()
export class SnapshotAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly snapshots: VmSnapshotsService,
    private readonly bus: CommandBus,
    private readonly probe: TaskProbe,
    private readonly repo: SnapshotRepository,
    private readonly vms: VmRepository,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(SNAPSHOT_DELETE_TASK, (ctx, cp) => this.adoptDelete(ctx, cp));
    this.tasks.registerAdopter(SNAPSHOT_CREATE_TASK, (ctx, cp) => this.adoptCreate(ctx, cp));
    this.tasks.registerAdopter(SNAPSHOT_REVERT_TASK, (ctx, cp) => this.adoptRevert(ctx, cp));
  }

  /** Taken when its job says so, or (its outcome lost) when the host lists it: recorded → succeeded;
   * not on the host → failed (nothing to undo). */
  async adoptCreate(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host } = await this.probe.target(ctx, cp);
    const id = cp.snapshotId as string;
    if (await this.repo.exists(id)) return { snapshotId: id };
    let info = await this.probe.stepResult(host, 'vm.snapshot.create', cp.jobId);
    info ??= (await this.listed(vm, host)).find((s) => s.name === id);
    if (!info)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped before ${host.name} took snapshot ${String(cp.name)} of VM ${vm.name} (the host does not list it); take it again`,
      );
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    return this.snapshots.recordTaken(vm, id, String(cp.name), String(cp.description ?? ''), info, meta);
  }

  /** Its job's outcome decides; lost, the host can still tell a revert that did not happen (the
   * snapshot is not libvirt's current one), not one that did (it may have been current before). */
  async adoptRevert(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host } = await this.probe.target(ctx, cp);
    const id = cp.snapshotId as string;
    const reverted = await this.probe.stepResult(host, 'vm.snapshot.revert', cp.jobId);
    if (reverted) return { snapshotId: id, state: reverted.state };
    const snap = (await this.listed(vm, host)).find((s) => s.name === id);
    if (!snap?.current)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped before VM ${vm.name} was reverted: ${host.name} ${snap ? 'does not show the snapshot as current' : 'does not list the snapshot'}; revert again`,
      );
    throw new TaskUnknowable(
      `the engine stopped while reverting VM ${vm.name} and the revert's outcome is lost; the snapshot is libvirt's current one, which it may have been before: check the guest`,
    );
  }

  private async listed(vm: VmEntity, host: HostEntity): Promise<DomainSnapshotInfo[]> {
    try {
      return (await this.probe.ask(vm, host, 'vm.snapshot.list', { uuid: vm.id })).snapshots;
    } catch (e) {
      if (e instanceof DomainAbsent) return [];
      throw e;
    }
  }

  private async adoptDelete(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const hostId = cp.hostId as string;
    const snapshotId = cp.snapshotId as string;
    const vm = await this.vms.byId(ctx.task.target!.id);
    if (!vm) throw notFound(ObjectType.Vm, ctx.task.target!.id);
    const snap = await this.repo.find(snapshotId);
    await ctx.progress(
      ctx.task.progress,
      `engine stopped; finishing the deletion of snapshot ${snap?.name ?? snapshotId}`,
    );
    const res = await this.snapshots.sendDelete(ctx, hostId, vm.id, snapshotId, (pct, message) =>
      ctx.progress(Math.min(95, pct), message),
    );
    const { snapshots } = await this.bus.send(hostId, 'vm.snapshot.list', { uuid: vm.id });
    if (snapshots.some((s) => s.name === snapshotId))
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the host still lists snapshot ${snap?.name ?? snapshotId} after the delete; check the VM's disks`,
      );
    // No record: the dead engine had dropped it already and stopped just before ending the task.
    const meta = { actor: ctx.task.requestedBy, correlationId: ctx.task.correlationId ?? ctx.task.id };
    if (snap) await this.snapshots.forgetDeleted(snap, vm, meta, res.merged);
    // The first run's merges may be unknown here (its job gone): the domain says what each disk opens.
    const { disks } = await this.bus.send(hostId, 'vm.storage.info', { uuid: vm.id });
    await this.repo.activeImages().asOnHost(vm.id, disks);
    return { snapshotId, deletedOnHost: res.deleted, merged: res.merged };
  }
}
