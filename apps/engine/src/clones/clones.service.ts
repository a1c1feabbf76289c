import { CommandResult, ObjectType, Task, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { conflict, invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskEntity } from '../disks/disk.entity';
import { DiskRepository } from '../disks/disk.repository';
import { EventsService } from '../events/events.service';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { NicEntity } from '../nics/nic.entity';
import { NicRepository } from '../nics/nic.repository';
import { MacPoolsService } from '../mac-pools/mac-pools.service';
import { StreamService } from '../stream/stream.service';
import { TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { spaceShortages } from '../vm-guard/storage-space';
import { VmGuard } from '../vm-guard/vm-guard.service';

export type CloneMode = 'full' | 'thin';
export const CLONE_TASKS = ['vm.clone', 'vm.create_from_template', 'vm.create_thin'];
export const CLONE_PHASE = 'cloning';
/** The host's `vm.clone` job of a clone task: an adopting engine re-attaches to it. */
export const cloneJobId = (taskId: string) => `${taskId}-clone`;

/**
 * Copies of stopped VMs on the host they are defined on: a full copy (`qemu-img convert`, no backing
 * file) or, from a template, a thin qcow2 overlay backed by the template's disk. The new VM, its
 * disks and NICs (new MACs) are recorded before anything is sent, so the domain the agent defines
 * is never mistaken for an external one; on failure they are removed again.
 */
@Injectable()
export class ClonesService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly ops: VmGuard,
    private readonly tasks: TasksService,
    private readonly disks: DiskRepository,
    private readonly nics: NicRepository,
    private readonly macPools: MacPoolsService,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** POST /vms/{id}/clone: a full, independent copy of a stopped VM (or template). */
  async cloneVm(id: string, name: string, meta: RequestMeta): Promise<Task> {
    const source = await this.ops.vm(id);
    if (!source.isTemplate) this.ops.guard(source, 'clone');
    return this.copy(source, name, 'full', meta);
  }

  /** POST /templates/{id}/vms: a VM from a template, full copy or thin overlay. */
  async fromTemplate(id: string, name: string, mode: CloneMode, meta: RequestMeta): Promise<Task> {
    const template = await this.ops.vm(id);
    if (!template.isTemplate)
      throw invalidState(`VM ${template.name} is not a template`, [
        { field: 'id', reason: 'not a template', ref: refOf(ObjectType.Vm, template) },
      ]);
    return this.copy(template, name, mode, meta);
  }

  private async copy(source: VmEntity, name: string, mode: CloneMode, meta: RequestMeta): Promise<Task> {
    if (await this.ops.vms.nameTaken(source.datacenterId, name))
      throw conflict(`a VM named ${name} already exists in this datacenter`, [
        { field: 'name', reason: 'already taken' },
      ]);
    const host = await this.ops.hostOf(source);
    // Fails early, before any record, in the common case; the lock taken with the task decides races.
    if (!source.isTemplate) await this.tasks.assertFree([refOf(ObjectType.Vm, source)]);
    const hostDisks = (await this.ops.storage(source, host.id)).filter((d) => d.device === 'disk');
    if (mode === 'full')
      this.ops.assertSpace(
        `a full copy of ${source.name}`,
        // qemu-img convert writes sparse copies: the allocated data is what must fit.
        spaceShortages(hostDisks, (d) => Math.max(d.allocationBytes, 1)),
      );

    // Record the new VM, its disks and NICs first (status down, not yet on a host).
    const vmId = randomUUID();
    const { id: _i, createdAt: _c, updatedAt: _u, ...fields } = source as VmEntity & { updatedAt?: Date };
    await this.ops.vms.insert({
      ...fields,
      id: vmId,
      name,
      hostId: null,
      status: VmStatus.Down,
      desiredStatus: VmStatus.Down,
      statusReason: null,
      isTemplate: false,
      external: false,
      // Thin VMs depend on the template's disks: the template cannot be deleted while they exist.
      sourceTemplateId: mode === 'thin' ? source.id : null,
      createdBy: meta.actor,
      pendingRestart: null,
      description: source.description,
      ...('graphicsPort' in source ? { graphicsPort: null } : {}),
    } as never);
    const vm = await this.ops.vm(vmId);
    await this.notify.created(ObjectType.Vm, vm, meta, [{ type: ObjectType.Cluster, id: vm.clusterId }]);

    const sourceRows = await this.disks.ofVm(source.id);
    const plan = hostDisks.map((d) => {
      // A disk with an external snapshot runs on its overlay, not its volume: then the target device finds it.
      const row =
        sourceRows.find((r) => r.volumePath === d.path) ??
        sourceRows.find((r) => !!r.targetDev && r.targetDev === d.target);
      const diskId = randomUUID();
      const format = mode === 'thin' ? 'qcow2' : (d.format ?? row?.format ?? 'qcow2');
      const ext = format === 'raw' ? 'img' : 'qcow2';
      return { info: d, row, diskId, format, targetPath: join(dirname(d.path), `${diskId}.${ext}`) };
    });
    for (const p of plan) {
      if (!p.row) continue;
      const { id: _d, createdAt: _dc, updatedAt: _du, ...rest } = p.row as DiskEntity & { updatedAt?: Date };
      const disk = this.disks.build({
        ...rest,
        id: p.diskId,
        name: `${name}-${p.row.targetDev ?? p.info.target}`.slice(0, 64),
        vmId,
        volumePath: p.targetPath,
        format: p.format as DiskEntity['format'],
        allocationBytes: 0,
        // A copy or overlay of data, never to be re-created empty.
        provisionedAt: new Date(),
        // The copy is its own volume: the source's overlay stays the source's.
        activeImagePath: null,
      });
      await this.disks.insert(disk);
    }
    const sourceNics = await this.nics.ofVmInNameOrder(source.id);
    const macs: string[] = [];
    for (const n of sourceNics) {
      const mac = await this.macPools.allocate(vm.datacenterId);
      const { id: _n, createdAt: _nc, updatedAt: _nu, ...rest } = n as NicEntity & { updatedAt?: Date };
      await this.nics.insert(this.nics.build({ ...rest, id: randomUUID(), vmId, mac }));
      macs.push(mac);
    }

    const target = refOf(ObjectType.Vm, vm);
    // Refused (the source became busy since the early check): the records made for the copy go again.
    const refused = async (e: unknown): Promise<never> => {
      await this.forget(vm, meta);
      throw e;
    };
    const launched = this.tasks.launch(
      {
        type: mode === 'thin' ? 'vm.create_thin' : source.isTemplate ? 'vm.create_from_template' : 'vm.clone',
        target,
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        // The new VM and the source (a template may feed many copies at once, so it is not held).
        locks: source.isTemplate ? [target] : [target, refOf(ObjectType.Vm, source)],
        verify: source.isTemplate ? undefined : this.ops.recheck(source.id, 'clone'),
      },
      async (ctx) => {
        const jobId = cloneJobId(ctx.task.id);
        // Before the command: an engine adopting the task re-attaches to this job on the host.
        await ctx.checkpoint(CLONE_PHASE, { hostId: host.id, jobId, mode });
        try {
          await ctx.progress(1, `${mode === 'thin' ? 'creating overlays of' : 'copying'} ${source.name}`);
          const sending = this.ops.send(
            host.id,
            'vm.clone',
            {
              sourceUuid: source.id,
              uuid: vmId,
              name,
              disks: plan.map((p) => ({ sourcePath: p.info.path, targetPath: p.targetPath, mode })),
              macs,
            },
            {
              taskId: ctx.task.id,
              correlationId: meta.correlationId,
              jobId,
              onProgress: (d) => {
                const pr = d as { percent?: number; message?: string } | number;
                const pct = typeof pr === 'number' ? pr : pr?.percent;
                if (typeof pct === 'number')
                  void ctx
                    .progress(Math.min(99, pct), typeof pr === 'object' ? pr.message : undefined)
                    .catch(() => undefined);
              },
            },
          );
          sending.catch(() => undefined);
          // The copy is on its way (the step crash tests stop the engine at).
          await ctx.checkpoint(`${CLONE_PHASE}-sent`);
          return await this.cloned(vmId, host.id, mode, await sending);
        } catch (e) {
          await this.forget(vm, meta);
          throw e;
        }
      },
    );
    return launched.catch(refused);
  }

  /** The host defined the copy: record what it made; the task's result. */
  async cloned(
    vmId: string,
    hostId: string,
    mode: CloneMode,
    res: Pick<CommandResult<'vm.clone'>, 'macs' | 'disks'>,
  ) {
    const rows = await this.disks.ofVm(vmId);
    for (const d of res.disks) {
      const row = rows.find((n) => n.volumePath === d.path);
      if (row) await this.disks.setVirtualSize(row.id, d.virtualSizeBytes);
    }
    // The agent's inventory report sets it too; setting it here makes the task's end state exact.
    await this.ops.vms.setHost(vmId, hostId);
    const vm = await this.ops.vm(vmId);
    return { vmId, name: vm.name, mode, hostId, macs: res.macs, disks: res.disks };
  }

  /** The copy failed: its records go (the agent removes the files of a failed clone). */
  async forget(vm: VmEntity, meta: RequestMeta): Promise<void> {
    await this.nics.deleteOfVm(vm.id);
    await this.disks.deleteOfVm(vm.id);
    await this.ops.vms.delete(vm.id);
    await this.notify.deleted(ObjectType.Vm, vm, meta);
  }
}
