import { ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { VmOpsSupport } from '../clones/vm-ops-support';
import { DomainError } from '../common/errors/domain-error';
import { TaskCheckpoint } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { SnapshotEntity } from './snapshot.entity';
import { SNAPSHOT_DELETE_TASK, VmSnapshotsService } from './vm-snapshots.service';

/**
 * Adopts `vm.snapshot.delete` tasks of a dead engine. The agent keeps merging when the engine dies;
 * the delete is idempotent, so the adopter sends it again under the same job id (which attaches to
 * the first run while Redis keeps it, or removes whatever is left of the snapshot), checks that the
 * host no longer lists the snapshot, and drops its record.
 */
@Injectable()
export class SnapshotAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly snapshots: VmSnapshotsService,
    private readonly ops: VmOpsSupport,
    @InjectRepository(SnapshotEntity) private readonly repo: Repository<SnapshotEntity>,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(SNAPSHOT_DELETE_TASK, (ctx, cp) => this.adoptDelete(ctx, cp));
  }

  private async adoptDelete(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const hostId = cp.hostId as string;
    const snapshotId = cp.snapshotId as string;
    const vm = await this.ops.vm(ctx.task.target!.id);
    const snap = await this.repo.findOneBy({ id: snapshotId });
    await ctx.progress(
      ctx.task.progress,
      `engine stopped; finishing the deletion of snapshot ${snap?.name ?? snapshotId}`,
    );
    const res = await this.snapshots.sendDelete(ctx, hostId, vm.id, snapshotId, (pct, message) =>
      ctx.progress(Math.min(95, pct), message),
    );
    const { snapshots } = await this.ops.send(hostId, 'vm.snapshot.list', { uuid: vm.id });
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
