import { CommandPayload, ErrorCode, MachineType, ObjectType, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskRepository } from '../disks/disk.repository';
import { assertBusFitsMachine } from '../disks/machine-bus';
import { HostEntity } from '../hosts/host.entity';
import { refOf } from '../crud/inventory.service';
import { TasksService } from '../tasks/tasks.service';
import { UpdateVmDto } from '../vms/vm.dto';
import type { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { VmsService } from '../vms/vms.service';
import { VmGuard } from '../vm-guard/vm-guard.service';

export const EDIT_TASK = 'vm.edit';
export const EDIT_PHASE = 'editing';
const ACTIVE_STATUSES: VmStatus[] = [VmStatus.Up, VmStatus.Paused];

/** Editing a VM: records only, or persistent on its host and, on a running VM, memory live (the rest
 * waits for its next start). */
@Injectable()
export class VmEditService {
  constructor(
    private readonly vms: VmsService,
    private readonly vmRepo: VmRepository,
    private readonly tasks: TasksService,
    private readonly checks: VmGuard,
    private readonly diskRepo: DiskRepository,
  ) {}

  async update(id: string, dto: UpdateVmDto, meta: RequestMeta): Promise<VmEntity> {
    const vm = await this.vms.get(id);
    if (dto.machineType === MachineType.Q35 && vm.machineType !== MachineType.Q35) {
      const disks = await this.diskRepo.ofVm(id);
      assertBusFitsMachine(
        MachineType.Q35,
        disks.map((d) => ({ bus: d.bus, field: 'machineType', disk: d.name })),
        vm.name,
      );
    }
    const changed = (k: 'name' | 'vcpus' | 'memoryMib' | 'maxMemoryMib') =>
      dto[k] !== undefined && dto[k] !== vm[k];
    const hardware = (['name', 'vcpus', 'memoryMib', 'maxMemoryMib'] as const).filter(changed);
    if (!vm.hostId || vm.external || !hardware.length) return this.vms.update(id, dto, meta);
    this.checks.guard(vm, 'edit');
    const host = await this.checks.upHost(vm.hostId);
    const active = ACTIVE_STATUSES.includes(vm.status);
    const memoryMib = dto.memoryMib ?? vm.memoryMib;
    const maxMemoryMib = dto.maxMemoryMib ?? Math.max(vm.maxMemoryMib, memoryMib);
    if (maxMemoryMib < memoryMib) {
      throw validationFailed('maxMemoryMib must not be below memoryMib', [
        { field: 'maxMemoryMib', reason: `must be at least memoryMib (${memoryMib})` },
      ]);
    }
    if (active && changed('memoryMib') && memoryMib > vm.maxMemoryMib) {
      throw invalidState(
        `VM ${vm.name} is ${vm.status}: memory can grow live only up to its maximum memory (${vm.maxMemoryMib} MiB)`,
        [
          {
            field: 'memoryMib',
            reason: `exceeds maxMemoryMib ${vm.maxMemoryMib} of the running VM`,
            ref: refOf(ObjectType.Vm, vm),
          },
        ],
      );
    }
    if (changed('name') && (await this.vmRepo.nameTaken(vm.datacenterId, dto.name!))) {
      throw new DomainError(ErrorCode.Conflict, `a VM named ${dto.name} already exists in the datacenter`, [
        { field: 'name', reason: 'already used in this datacenter' },
      ]);
    }
    // The change on the host is a short task of its own: it holds the VM like any other operation
    // (409 while one runs), and none can start while it is applied.
    const edit = { type: EDIT_TASK, target: refOf(ObjectType.Vm, vm), requestedBy: meta.actor };
    const verify = this.checks.recheck(id, 'edit');
    const plan: EditPlan = {
      configure: {
        uuid: id,
        ...(changed('name') ? { name: dto.name } : {}),
        ...(changed('vcpus') ? { vcpus: dto.vcpus } : {}),
        ...(changed('memoryMib') || changed('maxMemoryMib') ? { memoryMib, maxMemoryMib } : {}),
      },
      liveMemoryMib: active && changed('memoryMib') ? memoryMib : null,
      renameWhileActive: changed('name') && active,
    };
    return this.tasks.exclusive({ ...edit, correlationId: meta.correlationId, verify }, async (ctx) => {
      await ctx.checkpoint(EDIT_PHASE, { hostId: host.id, plan, dto: { ...dto } });
      return this.applyEdit(host, dto, plan, meta);
    });
  }

  /** Applies an edit on the host (every step idempotent: an adopting engine applies it again) and
   * then to the records. */
  async applyEdit(host: HostEntity, dto: UpdateVmDto, plan: EditPlan, meta: RequestMeta): Promise<VmEntity> {
    const res = await this.checks.send(host, 'vm.configure', plan.configure);
    const appliedLive: string[] = [];
    if (plan.liveMemoryMib !== null) {
      await this.checks.send(host, 'vm.set-memory-live', {
        uuid: plan.configure.uuid,
        memoryMib: plan.liveMemoryMib,
      });
      appliedLive.push('memoryMib');
    }
    const pendingExtra = plan.renameWhileActive && !res.renamed ? ['name'] : [];
    return this.vms.update(plan.configure.uuid, dto, meta, { appliedLive, pendingExtra });
  }
}

/** What an edit changes on the host (its checkpoint, so an adopting engine can apply it again). */
export interface EditPlan {
  configure: CommandPayload<'vm.configure'>;
  liveMemoryMib: number | null;
  renameWhileActive: boolean;
}
