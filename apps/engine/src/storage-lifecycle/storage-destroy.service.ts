import { HostStatus, ObjectType, StorageDomainType, Task } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { basename } from 'node:path';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { DiskEntity } from '../disks/disk.entity';
import { DiskRepository } from '../disks/disk.repository';
import { DisksService } from '../disks/disks.service';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainsService } from '../storage-domains/storage-domains.service';
import { mayStart } from '../storage-domains/storage-health';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { poolSpecFor } from './pool-spec';
import { StorageLifecycleRepository } from './storage-lifecycle.repository';

export const STORAGE_DESTROY_TASK = 'storage_domain.destroy';

/**
 * Deleting a storage domain together with its disks (the plain DELETE refuses while disks live
 * there): every volume is deleted on the hosts, then the disk records, then the domain. Disks still
 * attached to a VM are refused (409 naming the VMs): a VM never loses a disk this way.
 */
@Injectable()
export class StorageDestroyService {
  constructor(
    private readonly domains: StorageDomainsService,
    private readonly disks: DisksService,
    private readonly diskRepo: DiskRepository,
    private readonly repo: StorageLifecycleRepository,
    private readonly tasks: TasksService,
    private readonly guard: VmGuard,
  ) {}

  async destroy(id: string, meta: RequestMeta): Promise<Task> {
    const sd = await this.domains.get(id);
    if (!mayStart('delete', sd.status)) {
      throw invalidState(
        `storage domain ${sd.name} is ${sd.status}: put it in maintenance before deleting it`,
        [{ reason: `domain is ${sd.status}`, ref: refOf(ObjectType.StorageDomain, sd) }],
      );
    }
    const disks = await this.disksOf(sd.id);
    const attached = disks.filter((d) => d.vmId);
    if (attached.length) {
      throw invalidState(
        `storage domain ${sd.name} holds disks of VMs (${attached.map((d) => d.name).join(', ')}): detach or delete them first`,
        attached.map((d) => ({ reason: 'disk attached to a VM', ref: refOf(ObjectType.Disk, d) })),
      );
    }
    const provisioned = disks.filter((d) => d.provisionedAt);
    const hosts = provisioned.length ? await this.hostsHolding(sd) : [];
    const target = refOf(ObjectType.StorageDomain, sd);
    return this.tasks.launch(
      {
        type: STORAGE_DESTROY_TASK,
        target,
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        // The disks are not locked: deleting them goes through DisksService, which refuses locked ones.
        locks: [target],
      },
      async (ctx) => {
        await ctx.checkpoint('destroying', { storageDomainId: sd.id, hostIds: hosts.map((h) => h.id) });
        return this.destroyOn(ctx, sd, hosts, disks, meta);
      },
    );
  }

  /** The volumes on the hosts, then the disk records, then the domain: every step idempotent (a
   * volume already gone deletes fine), so an adopting engine runs them again over what is left. */
  async destroyOn(
    ctx: TaskContext,
    sd: StorageDomainEntity,
    hosts: HostEntity[],
    disks: DiskEntity[],
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    const provisioned = disks.filter((d) => d.provisionedAt);
    if (provisioned.length) for (const host of hosts) await this.deleteVolumes(ctx, host, sd, provisioned);
    for (const d of disks) await this.disks.remove(d.id, meta);
    await this.domains.remove(sd.id, meta);
    return { storageDomainId: sd.id, disksDeleted: disks.length, hosts: hosts.map((h) => h.name) };
  }

  /** The domain's disks still on record (an adopting engine deletes those that are left). */
  disksOf(storageDomainId: string): Promise<DiskEntity[]> {
    return this.diskRepo.onDomain(storageDomainId);
  }

  /** Where the volumes are: one Up host for shared storage, every Up host for host-local storage. */
  private async hostsHolding(sd: StorageDomainEntity): Promise<HostEntity[]> {
    const up = await this.repo.hostsOf(sd.datacenterId, [HostStatus.Up]);
    if (!up.length) {
      throw invalidState(`no host of storage domain ${sd.name}'s datacenter is up to delete its volumes`, [
        { reason: 'no host up', ref: refOf(ObjectType.StorageDomain, sd) },
      ]);
    }
    return sd.type === StorageDomainType.Local ? up : up.slice(0, 1);
  }

  /** The pool is started for the deletion and removed again (the domain is not in use). */
  private async deleteVolumes(
    ctx: TaskContext,
    host: HostEntity,
    sd: StorageDomainEntity,
    disks: DiskEntity[],
  ) {
    const spec = poolSpecFor(sd);
    const state = await this.guard.send(host, 'storage.pool.activate', { pool: spec }, ctx);
    try {
      if (!state.active)
        throw new DomainError(
          'unprocessable',
          `storage domain ${sd.name} is not usable on ${host.name}: ${state.error}`,
        );
      for (const d of disks)
        await this.guard.send(host, 'volume.delete', { pool: spec.name, name: basename(d.volumePath) }, ctx);
    } finally {
      await this.guard.send(host, 'storage.pool.deactivate', { name: spec.name }, ctx).catch(() => undefined);
    }
  }
}
