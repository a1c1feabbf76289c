import { ErrorCode, ObjectType, StorageDomainType, Task, VmStatus } from '@kelpie/shared-types';
import { isFileDomain } from '../storage-domains/domain-kinds';
import { assertNoThinVms } from '../templates/template-rules';
import { Injectable } from '@nestjs/common';
import { DomainError, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskRepository } from '../disks/disk.repository';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { StreamService } from '../stream/stream.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { DeleteVmQuery } from '../vms/vm-devices.dto';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { HostlessVmSearch, planHostlessDelete } from './hostless-search';
import { poolNameFor, volumeDeletionFor } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmStatusWaiter } from './vm-status-waiter';

/** A VM delete's first step (the host and whether its disks go too). */
export const DELETE_PHASE = 'deleting';
export const DELETE_TASK = 'vm.delete';

/** Deleting a VM: from its host (or from wherever a VM on no host is found), then its records, its
 * disks detached or deleted with their volumes. */
@Injectable()
export class VmDeleteService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly vms: VmsService,
    private readonly diskRepo: DiskRepository,
    private readonly sdRepo: StorageDomainRepository,
    private readonly tasks: TasksService,
    private readonly checks: VmGuard,
    private readonly hostless: HostlessVmSearch,
    private readonly status: VmStatusWaiter,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** null: deleted at once (a VM on no host in a cluster whose hosts never ran anything); a task
   * otherwise. */
  async remove(id: string, q: DeleteVmQuery, meta: RequestMeta): Promise<Task | null> {
    const vm = await this.vms.get(id);
    if (vm.external && q.withDisks)
      throw validationFailed('an external VM has no Kelpie disks to delete', [
        { field: 'withDisks', reason: 'VM is external' },
      ]);
    this.checks.guard(vm, q.force ? 'delete-force' : 'delete');
    // Thin VMs are backed by a template's disks: the template stays while they exist (409 naming them).
    await assertNoThinVms(this.checks.vms, vm);
    const disks = await this.diskRepo.ofVmByName(id);
    if (disks.length && !q.withDisks) {
      throw new DomainError(
        ErrorCode.HasChildren,
        `VM ${vm.name} still has ${disks.length} attached disks; delete with withDisks=true or detach them first`,
        disks.map((d) => ({ reason: 'attached disks still refer to it', ref: refOf(ObjectType.Disk, d) })),
      );
    }
    const withDisks = !!q.withDisks;
    if (!vm.hostId && !(await this.hostless.candidates(vm)).length) {
      // No host could run it: records only, no task; refused while an operation holds the VM.
      await this.tasks.assertFree([refOf(ObjectType.Vm, vm)]);
      await this.forgetDeleted(vm, withDisks, null, meta);
      return null;
    }
    const host = vm.hostId ? await this.checks.upHost(vm.hostId, { preparing: true }) : null;
    return this.tasks.launch(
      {
        type: DELETE_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.checks.recheck(id, q.force ? 'delete-force' : 'delete'),
      },
      async (ctx) => {
        const current = await this.vms.get(id);
        if (!host) return this.removeHostless(ctx, current, withDisks, !!q.force, meta);
        const running = current.status !== VmStatus.Down && current.status !== VmStatus.Crashed;
        await this.clearHost(ctx, current, host, running, withDisks);
        return this.forgetDeleted(current, withDisks, host, meta);
      },
    );
  }

  /** A VM without a host may still run on a host of its cluster (a move never recorded): it is
   * deleted where it is found; found nowhere, only its records go (see planHostlessDelete). */
  private async removeHostless(
    ctx: TaskContext,
    vm: VmEntity,
    withDisks: boolean,
    force: boolean,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    await ctx.progress(5, `VM ${vm.name} has no host: asking the hosts of its cluster for its domain`);
    const search = await this.hostless.search(vm, await this.hostless.candidates(vm));
    const plan = planHostlessDelete(vm, search, force);
    const notAsked = plan.notAsked;
    if (plan.kind === 'records') {
      await ctx.progress(
        50,
        notAsked.length
          ? `no host asked has VM ${vm.name}; removing its records without asking ${notAsked.map((h) => h.hostName).join(', ')} (force)`
          : `no host has VM ${vm.name}: removing its records`,
      );
      return { ...(await this.forgetDeleted(vm, withDisks, null, meta)), foundOn: [], notAsked };
    }
    for (const { host, running } of plan.targets) await this.clearHost(ctx, vm, host, running, withDisks);
    const foundOn = search.found.map((f) => ({ hostId: f.host.id, hostName: f.host.name, state: f.state }));
    return { ...(await this.forgetDeleted(vm, withDisks, plan.targets[0].host, meta)), foundOn, notAsked };
  }

  /** Removes the VM's domain from a host: powered off first when it runs, then undefined. */
  private async clearHost(
    ctx: TaskContext,
    vm: VmEntity,
    host: HostEntity,
    running: boolean,
    withDisks: boolean,
  ): Promise<void> {
    await ctx.checkpoint(DELETE_PHASE, { hostId: host.id, withDisks });
    if (running) {
      await ctx.progress(10, `powering off on ${host.name}`);
      await this.checks.send(host, 'vm.destroy', { uuid: vm.id }, ctx);
      await this.status.waitForStatus(vm.id, VmStatus.Down, 15_000);
    }
    await ctx.progress(40, `undefining on ${host.name}`);
    await this.checks.sendStep(host, 'vm.undefine', { uuid: vm.id }, ctx, 'undefine');
  }

  /** The VM is gone from its host (or was on none): its disks are detached (or deleted with their
   * volumes, through `host`) and its records removed. */
  async forgetDeleted(
    vm: VmEntity,
    withDisks: boolean,
    host: HostEntity | null,
    meta: RequestMeta,
  ): Promise<{ deletedVolumes: string[] }> {
    const deleted = await this.detachOrDeleteDisks(vm, withDisks, host, meta);
    await this.vms.remove(vm.id, meta);
    return { deletedVolumes: deleted };
  }

  /** Detaches the VM's disks (they stay as floating disks) or deletes them with their volumes. */
  private async detachOrDeleteDisks(
    vm: VmEntity,
    withDisks: boolean,
    host: HostEntity | null,
    meta: RequestMeta,
  ): Promise<string[]> {
    const disks = await this.diskRepo.ofVm(vm.id);
    const deleted: string[] = [];
    for (const d of disks) {
      if (withDisks) {
        const sd = await this.sdRepo.byId(d.storageDomainId);
        // A LUN disk is released, never wiped: the LUN goes back to the domain's free ones.
        if (host && sd.type !== StorageDomainType.Iscsi) {
          // Network domains' pools exist where the domain is active (activation made them).
          const { pool } = isFileDomain(sd)
            ? await this.checks.send(host, 'storage.ensure-pool', { name: poolNameFor(sd), path: sd.path })
            : { pool: poolNameFor(sd) };
          // The overlays of external snapshots are the disk's data too: the whole chain goes.
          const res = await this.checks.send(host, 'volume.delete', { pool, ...volumeDeletionFor(d) });
          deleted.push(...(res.deleted ?? [d.volumePath]));
        }
        await this.diskRepo.delete(d.id);
        await this.notify.deleted(ObjectType.Disk, d, meta, [refOf(ObjectType.Vm, vm)]);
      } else {
        await this.diskRepo.detach(d.id);
      }
    }
    return deleted;
  }
}
