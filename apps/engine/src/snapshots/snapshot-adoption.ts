import { ErrorCode, ObjectType } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError, notFound } from '../common/errors/domain-error';
import { TaskCheckpoint } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { SnapshotEntity } from './snapshot.entity';
import { SNAPSHOT_DELETE_TASK, VmSnapshotsService } from './vm-snapshots.service';

/**
 * Adopts `vm.snapshot.delete` tasks of a dead engine. The agent keeps merging when the engine dies;
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
    @InjectRepository(SnapshotEntity) private readonly repo: Repository<SnapshotEntity>,
    @InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(SNAPSHOT_DELETE_TASK, (ctx, cp) => this.adoptDelete(ctx, cp));
  }

  private async adoptDelete(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const hostId = cp.hostId as string;
    const snapshotId = cp.snapshotId as string;
    const vm = await this.vms.findOneBy({ id: ctx.task.target!.id });
    if (!vm) throw notFound(ObjectType.Vm, ctx.task.target!.id);
    const snap = await this.repo.findOneBy({ id: snapshotId });
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
    if (snap) await this.snapshots.forgetDeleted(snap, vm, meta);
    return { snapshotId, deletedOnHost: res.deleted, merged: res.merged };
  }
}
