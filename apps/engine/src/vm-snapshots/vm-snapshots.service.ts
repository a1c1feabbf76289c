import {
  DomainSnapshotInfo,
  ErrorCode,
  EventSeverity,
  ObjectType,
  SnapshotType,
  Task,
  VmStatus,
} from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { spaceShortages } from '../vm-guard/storage-space';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { DomainError, invalidState, notFound, validationFailed } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { RequestMeta } from '../common/http/request-meta';
import { IsDescription, IsName } from '../common/validation/validators';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { externalOnTopOf } from '../snapshots/snapshot-rules';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { SnapshotRepository } from '../snapshots/snapshot.repository';

export class CreateSnapshotDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiPropertyOptional({
    enum: ['internal', 'external'],
    default: 'internal',
    description:
      'internal: inside the qcow2 images (with memory for a running VM); external: disk-only overlays',
  })
  @IsOptional()
  @IsIn(['internal', 'external'])
  type?: SnapshotType;

  @ApiPropertyOptional({
    default: false,
    description: 'Save the RAM too (internal snapshots of a running VM)',
  })
  @IsOptional()
  @IsBoolean()
  withMemory?: boolean;
}

const ACTIVE = new Set<VmStatus>([VmStatus.Up, VmStatus.Paused]);

/**
 * Taking, reverting and deleting snapshots. libvirt's snapshot name is the snapshot's id, so user
 * text never names anything on a host; the tree (parentId) mirrors libvirt's parent links.
 */
@Injectable()
export class VmSnapshotsService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly ops: VmGuard,
    private readonly tasks: TasksService,
    private readonly repo: SnapshotRepository,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** The snapshots of a VM, oldest first. */
  async list(vmId: string): Promise<SnapshotEntity[]> {
    await this.ops.vm(vmId);
    return this.repo.ofVm(vmId);
  }

  private async snapshotOf(vm: VmEntity, sid: string): Promise<SnapshotEntity> {
    const s = await this.repo.ofVmById(vm.id, sid);
    if (!s) throw notFound(ObjectType.Snapshot, sid);
    return s;
  }

  async create(vmId: string, dto: CreateSnapshotDto, meta: RequestMeta): Promise<Task> {
    const vm = await this.ops.vm(vmId);
    const type = dto.type ?? SnapshotType.Internal;
    if (type === SnapshotType.External && dto.withMemory)
      throw validationFailed('external snapshots are disk-only', [
        { field: 'withMemory', reason: 'must be false for an external snapshot' },
      ]);
    this.ops.guard(vm, 'snapshot');
    await this.ops.assertSnapshotableDisks(vm);
    if (await this.repo.nameTaken(vmId, dto.name))
      throw invalidState(`VM ${vm.name} already has a snapshot named ${dto.name}`, [
        { field: 'name', reason: 'already taken for this VM' },
      ]);
    const running = ACTIVE.has(vm.status);
    // libvirt saves a running VM's memory with every internal snapshot.
    const withMemory = type === SnapshotType.Internal && running ? true : !!dto.withMemory;
    if (withMemory && !running)
      throw validationFailed('only a running VM has memory to save', [
        { field: 'withMemory', reason: `VM is ${vm.status}` },
      ]);
    const host = await this.ops.hostOf(vm);
    const disks = (await this.ops.storage(vm, host.id)).filter((d) => d.device === 'disk');
    if (type === SnapshotType.Internal) {
      const notQcow2 = disks.filter((d) => d.format !== 'qcow2');
      if (notQcow2.length)
        throw invalidState(
          `internal snapshots need qcow2 disks; ${notQcow2.map((d) => d.target).join(', ')} are not`,
          [{ field: 'type', reason: 'disks are not qcow2: use an external snapshot' }],
        );
    }
    // Worst case: every snapshotted disk is rewritten once (its virtual size), plus the RAM.
    const memoryBytes = withMemory ? vm.memoryMib * 1024 * 1024 : 0;
    this.ops.assertSpace(
      `a snapshot of ${vm.name}`,
      spaceShortages(disks, (d) => d.virtualSizeBytes + (d === disks[0] ? memoryBytes : 0)),
    );
    const count = await this.repo.countOf(vmId);
    const limit = this.config.snapshotWarnCount;
    const warning =
      count + 1 > limit
        ? `VM ${vm.name} now has ${count + 1} snapshots (more than ${limit}): long chains slow the disks down; delete old ones`
        : null;
    const id = randomUUID();
    return this.tasks.launch(
      {
        type: SNAPSHOT_CREATE_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.ops.recheck(vm.id, 'snapshot'),
      },
      async (ctx) => {
        if (warning) {
          await ctx.progress(1, `warning: ${warning}`);
          await this.events.record({
            severity: EventSeverity.Warning,
            type: 'vm.snapshot.limit',
            message: warning,
            refs: [refOf(ObjectType.Vm, vm)],
            correlationId: meta.correlationId,
          });
        }
        await ctx.progress(5, `taking ${type} snapshot ${dto.name}`);
        const description = dto.description ?? '';
        const info = await this.ops.sendStep(
          host,
          'vm.snapshot.create',
          { uuid: vm.id, name: id, description, type, withMemory },
          ctx,
          SNAPSHOT_CREATE_STEP,
          { snapshotId: id, name: dto.name, description },
        );
        const taken = await this.recordTaken(vm, id, dto.name, description, info, meta);
        return { ...taken, ...(warning ? { warning } : {}) };
      },
    );
  }

  /** The host has taken snapshot `id`: its record (parent as libvirt says) and the task's result. */
  async recordTaken(
    vm: VmEntity,
    id: string,
    name: string,
    description: string,
    info: DomainSnapshotInfo,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    // First: the overlays hold every write from now on, whatever happens to the domain.
    await this.repo.activeImages().overlaid(vm.id, info.overlays);
    const parentId = info.parent && (await this.repo.exists(info.parent, vm.id)) ? info.parent : null;
    await this.repo.insert({
      id,
      vmId: vm.id,
      parentId,
      name,
      description,
      type: info.type,
      withMemory: info.withMemory,
    });
    const saved = await this.repo.byId(id);
    await this.notify.created(ObjectType.Snapshot, saved, meta, [refOf(ObjectType.Vm, vm)]);
    return {
      snapshotId: id,
      parentId,
      type: info.type,
      withMemory: info.withMemory,
      overlays: info.overlays,
    };
  }

  async revert(vmId: string, sid: string, meta: RequestMeta): Promise<Task> {
    const vm = await this.ops.vm(vmId);
    const snap = await this.snapshotOf(vm, sid);
    this.ops.guard(vm, 'snapshot-revert');
    if (snap.type === SnapshotType.External)
      throw invalidState(
        'external snapshots cannot be reverted (libvirt 9); delete it to merge it, or use internal snapshots',
        [{ reason: 'external snapshot', ref: refOf(ObjectType.Snapshot, snap) }],
      );
    const host = await this.ops.hostOf(vm);
    return this.tasks.launch(
      {
        type: SNAPSHOT_REVERT_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.ops.recheck(vm.id, 'snapshot-revert'),
      },
      async (ctx) => {
        await ctx.progress(5, `reverting to ${snap.name}`);
        const domain = await this.ops.sendStep(
          host,
          'vm.snapshot.revert',
          { uuid: vm.id, name: snap.id },
          ctx,
          SNAPSHOT_REVERT_STEP,
          { snapshotId: snap.id },
        );
        return { snapshotId: snap.id, state: domain.state };
      },
    );
  }

  async remove(vmId: string, sid: string, meta: RequestMeta): Promise<Task> {
    const vm = await this.ops.vm(vmId);
    const snap = await this.snapshotOf(vm, sid);
    this.ops.guard(vm, 'snapshot-delete');
    const blocker = externalOnTopOf(snap, await this.repo.ofVm(vm.id));
    if (blocker)
      throw invalidState(
        `internal snapshot ${snap.name} is inside an image that external snapshot ${blocker.name} (taken later) ` +
          `put an overlay on; libvirt deletes internal snapshots only from the image the disk writes to. Delete (merge) ${blocker.name} first`,
        [
          {
            reason: `under the overlay of external snapshot ${blocker.name}`,
            ref: refOf(ObjectType.Snapshot, blocker),
          },
        ],
      );
    const host = await this.ops.hostOf(vm);
    return this.tasks.launch(
      {
        type: SNAPSHOT_DELETE_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.ops.recheck(vm.id, 'snapshot-delete'),
      },
      async (ctx) => {
        await ctx.progress(
          5,
          snap.type === SnapshotType.External ? `merging ${snap.name}` : `deleting ${snap.name}`,
        );
        const jobId = snapshotDeleteJobId(ctx.task.id);
        // An engine adopting the task sends the delete again under this job id: BullMQ attaches it to
        // the first run while Redis keeps that job; otherwise what is left is deleted (a snapshot
        // already gone deletes successfully).
        await ctx.checkpoint(SNAPSHOT_DELETE_PHASE, { hostId: host.id, snapshotId: snap.id, jobId });
        const deleting = this.sendDelete(ctx, host.id, vm.id, snap.id, (pct, message) =>
          ctx.progress(Math.min(95, pct), message),
        );
        deleting.catch(() => undefined);
        // The command is on its way: the step crash tests stop the engine at.
        await ctx.checkpoint('delete-sent');
        const res = await deleting.catch((e: unknown) => this.settleLostDelete(e, host, vm, snap));
        await this.forgetDeleted(snap, vm, meta, res.merged);
        return { snapshotId: snap.id, deletedOnHost: res.deleted, merged: res.merged };
      },
    );
  }

  /** A delete whose outcome was lost (its agent killed mid-merge, its job gone) is settled by the host:
   * the snapshot no longer listed → it was deleted; still listed → the delete did not end (an
   * interrupted `qemu-img commit` leaves the overlay and its chain as they were): failed, saying so. */
  private async settleLostDelete(
    e: unknown,
    host: HostEntity,
    vm: VmEntity,
    snap: SnapshotEntity,
  ): Promise<{ deleted: boolean; merged: [] }> {
    const unsure =
      e instanceof DomainError && (e.code === ErrorCode.HostUnavailable || e.code === ErrorCode.Timeout);
    if (!unsure) throw e;
    const listed = await this.ops
      .send(host, 'vm.snapshot.list', { uuid: vm.id })
      .then((r) => r.snapshots.some((x) => x.name === snap.id))
      .catch(() => undefined);
    if (listed === false) {
      // Which overlays the lost run merged is unknown: the domain says what each disk opens now.
      const { disks } = await this.ops.send(host, 'vm.storage.info', { uuid: vm.id });
      await this.repo.activeImages().asOnHost(vm.id, disks);
      return { deleted: true, merged: [] };
    }
    if (listed === undefined) throw e;
    throw new DomainError(
      e.code,
      `${e.message}; ${host.name} still lists snapshot ${snap.name}: it was not deleted and the VM still uses its overlay; delete it again`,
    );
  }

  /** `vm.snapshot.delete` under the task's job id; agent progress goes to `onProgress`. */
  sendDelete(
    ctx: TaskContext,
    hostId: string,
    vmId: string,
    snapshotId: string,
    onProgress: (pct: number, message?: string) => Promise<void>,
  ) {
    return this.ops.send(
      hostId,
      'vm.snapshot.delete',
      { uuid: vmId, name: snapshotId },
      {
        taskId: ctx.task.id,
        correlationId: ctx.task.correlationId ?? undefined,
        jobId: snapshotDeleteJobId(ctx.task.id),
        onProgress: (d) => {
          const pr = d as { percent?: number; message?: string };
          if (typeof pr?.percent === 'number') void onProgress(pr.percent, pr.message).catch(() => undefined);
        },
      },
    );
  }

  /** The snapshot is gone on the host: its merged overlays are no disk's image any more; drop its
   * record; children move up to its parent, as libvirt re-parents them. */
  async forgetDeleted(
    snap: SnapshotEntity,
    vm: VmEntity,
    meta: RequestMeta,
    merged: Array<{ target: string; overlay: string; into: string }>,
  ): Promise<void> {
    await this.repo.forgetMerged(snap, vm.id, merged);
    await this.notify.deleted(ObjectType.Snapshot, snap, meta, [refOf(ObjectType.Vm, vm)]);
  }
}

export const SNAPSHOT_DELETE_TASK = 'vm.snapshot.delete';
export const SNAPSHOT_CREATE_TASK = 'vm.snapshot.create';
export const SNAPSHOT_REVERT_TASK = 'vm.snapshot.revert';
/** Steps of create / revert (the job ids `<task>-<step>` an adopting engine re-attaches to). */
export const SNAPSHOT_CREATE_STEP = 'take';
export const SNAPSHOT_REVERT_STEP = 'revert';
export const SNAPSHOT_DELETE_PHASE = 'deleting';
export const snapshotDeleteJobId = (taskId: string) => `${taskId}-snapshot-delete`;
