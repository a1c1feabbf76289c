import { ObjectType, StorageDomainType, TaskStep } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { ClusterRepository } from '../clusters/cluster.repository';
import { conflict } from '../common/errors/domain-error';
import { refOf } from '../crud/inventory.service';
import type { DiskEntity } from '../disks/disk.entity';
import { DiskRepository } from '../disks/disk.repository';
import type { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { NetworkRepository } from '../networks/network.repository';
import { NicRepository } from '../nics/nic.repository';
import { unplaceable } from '../scheduling/affinity-conflict';
import { PlacementService } from '../scheduling/placement.service';
import type { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { TaskContext } from '../tasks/tasks.service';
import type { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { VmsService } from '../vms/vms.service';
import { UndoStack } from '../common/undo-stack';
import { assertProvisionedVolumesExist } from './provisioned-volumes';
import { buildVmSpec, poolNameFor, volumeNameFor } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { isFileDomain } from '../storage-domains/domain-kinds';
import { StorageSecrets } from '../storage-domains/storage-secrets';
import { lunVolumeOf, NetworkDiskSource, networkSourceOf } from './disk-sources';
import { claimLun } from './lun-allotment';

/** Checkpoints of provisioning (vm.create, and vm.start of a VM on no host): what an adopting engine
 * needs to remove what a half-done provisioning left on the host (vm-create-adoption.ts). */
export const PROVISION_PHASE = { placed: 'placed', volumes: 'volumes', defining: 'defining' } as const;

/**
 * Placing a VM on a host and defining it there (scheduler → pools → volumes → domain XML), shared by
 * create and by the start of a VM on no host. Each resource made on the host declares its removal
 * where it is made.
 */
@Injectable()
export class VmProvisioner {
  private readonly logger = new Logger('VmProvisioner');

  constructor(
    private readonly vms: VmsService,
    private readonly vmRepo: VmRepository,
    private readonly diskRepo: DiskRepository,
    private readonly nicRepo: NicRepository,
    private readonly hostRepo: HostRepository,
    private readonly clusterRepo: ClusterRepository,
    private readonly sdRepo: StorageDomainRepository,
    private readonly netRepo: NetworkRepository,
    private readonly scheduler: PlacementService,
    private readonly checks: VmGuard,
    private readonly secrets: StorageSecrets,
  ) {}

  /**
   * Places a VM on a host and defines it there: scheduler (reason on the task), storage pools, volumes
   * for its disks, domain XML from the typed spec. On failure everything made on the host is undone.
   */
  async provision(
    ctx: TaskContext,
    vmId: string,
    hostId: string | null,
  ): Promise<{ hostId: string; hostName: string; placement: string; domainName: string }> {
    const vm = await this.vms.get(vmId);
    const disks = await this.diskRepo.ofVm(vmId, true);
    const nics = await this.nicRepo.ofVm(vmId);
    const sds = await this.sdRepo.byIds(disks.map((d) => d.storageDomainId));
    const networks = await this.netRepo.byIds(nics.map((n) => n.networkId));
    const profiles = await this.netRepo.profilesByIds(nics.map((n) => n.profileId));
    const steps: TaskStep[] = [];
    const step = async (pct: number, name: string, message: string) => {
      steps.push({ name, status: 'done', message });
      await ctx.progress(pct, message, { steps: [...steps] });
    };

    const placement = await this.scheduler.place({
      clusterId: vm.clusterId,
      memoryMib: vm.memoryMib,
      paths: [
        ...sds.filter(isFileDomain).map((s) => s.path),
        ...(vm.cdromIsoPath ? [dirOf(vm.cdromIsoPath)] : []),
      ],
      bridges: networks.map((n) => n.bridge),
      hostId,
      vmId,
    });
    if (!placement.host) {
      steps.push({ name: 'schedule', status: 'failed', message: placement.reason });
      await ctx.progress(5, placement.reason, { steps: [...steps] });
      // 409 naming the rule when an enforcing affinity group is what left no host; else 422.
      throw unplaceable(vm.name, placement.decision);
    }
    const host = await this.hostRepo.byId(placement.host.id);
    await step(10, 'schedule', `${hostId ? 'requested host' : 'scheduler chose'} ${placement.reason}`);
    await this.assertVolumesExist(host, vm, disks, sds, ctx);
    await ctx.checkpoint(PROVISION_PHASE.placed, { hostId: host.id });
    await this.vms.setStatus(vmId, vm.status, { hostId: host.id, reason: vm.statusReason });

    // Each resource made on the host registers its removal right away; a failure unwinds them.
    const undo = new UndoStack(this.logger);
    try {
      const pools = new Map<string, string>();
      for (const sd of sds) {
        // Network domains' pools exist where the domain is active (activation made them).
        if (!isFileDomain(sd)) {
          pools.set(sd.id, poolNameFor(sd));
          continue;
        }
        const res = await this.checks.send(
          host,
          'storage.ensure-pool',
          { name: poolNameFor(sd), path: sd.path },
          ctx,
        );
        pools.set(sd.id, res.pool);
      }
      if (sds.length) await step(20, 'storage', `storage pools: ${[...pools.values()].join(', ')}`);
      for (const d of disks.filter((x) => x.provisionedAt === null && onLun(x, sds)))
        await this.allotLun(
          host,
          d,
          sds.find((s) => s.id === d.storageDomainId)!,
          undo,
          ctx,
        );
      // Only never-provisioned disks get a volume; the others were checked to exist above.
      // A LUN disk's volume is the LUN it took: nothing to create.
      const fresh = disks.filter((x) => x.provisionedAt === null && !onLun(x, sds));
      const volumes = fresh.map((d) => ({ pool: pools.get(d.storageDomainId)!, name: volumeNameFor(d) }));
      await ctx.checkpoint(PROVISION_PHASE.volumes, { hostId: host.id, volumes });
      for (const d of fresh) {
        const pool = pools.get(d.storageDomainId)!;
        const volume = { pool, name: volumeNameFor(d) };
        const res = await this.checks.send(
          host,
          'volume.create',
          { ...volume, capacityBytes: d.virtualSizeBytes, format: d.format },
          ctx,
        );
        // Only what this call made. (A volume made by an agent whose answer was lost is left to the
        // garbage collector.) Removed again, it held nothing: the disk is unprovisioned again.
        if (res.created)
          undo.onFailure(`volume ${volume.name}`, async () => {
            await this.checks.send(host, 'volume.delete', volume);
            await this.diskRepo.unprovisioned(d.id);
          });
        const provisionedAt = new Date();
        await this.diskRepo.provisioned(d.id, {
          volumePath: res.path,
          allocationBytes: res.allocationBytes,
          provisionedAt,
        });
        Object.assign(d, { volumePath: res.path, provisionedAt });
      }
      if (disks.length) await step(50, 'volumes', `volumes: ${disks.map((d) => d.volumePath).join(', ')}`);
      const cluster = await this.clusterRepo.byId(vm.clusterId);
      const spec = {
        ...buildVmSpec(
          vm,
          disks,
          nics,
          new Map(networks.map((n) => [n.id, n])),
          host.capabilities,
          cluster.switchType,
          new Map(profiles.map((x) => [x.id, x])),
          await this.networkSources(disks, sds),
        ),
        ...(placement.cpu ? { cpu: placement.cpu } : {}),
      };
      await ctx.checkpoint(PROVISION_PHASE.defining, { hostId: host.id, volumes });
      const res = await this.checks.send(host, 'vm.define-spec', { spec }, ctx);
      undo.onFailure(`domain ${res.domain.name}`, () =>
        this.checks.send(host, 'vm.undefine', { uuid: vmId }),
      );
      // Recorded so the first start does not send the NICs again (only a stale NIC is re-sent).
      const defined = new Map(spec.nics.map((n) => [n.mac, n]));
      for (const nic of nics)
        await this.nicRepo.recordDefinedSpec(nic.id, { ...defined.get(nic.mac)!, linkUp: nic.linkUp });
      await step(90, 'define', `defined ${res.domain.name} (${spec.virtType}) on ${host.name}`);
      return {
        hostId: host.id,
        hostName: host.name,
        placement: placement.reason,
        domainName: res.domain.name,
      };
    } catch (err) {
      await undo.unwind();
      await this.vmRepo.clearHost(vmId);
      throw err;
    }
  }

  /** 422 when a disk that was ever provisioned lost its volume (see provisioned-volumes.ts). */
  private async assertVolumesExist(
    host: HostEntity,
    vm: VmEntity,
    disks: DiskEntity[],
    sds: StorageDomainEntity[],
    ctx?: TaskContext,
  ): Promise<void> {
    // Only file domains' volumes can be looked for by path on a host.
    await assertProvisionedVolumesExist(vm.name, disks, sds.filter(isFileDomain), async (paths) => {
      const res = await this.checks.send(host, 'host.check-resources', { paths, bridges: [] }, ctx);
      return res.missingPaths;
    });
  }

  /** A new disk on an iscsi domain takes a free LUN of sufficient size (its volume is the LUN: nothing
   * is created, and its size becomes the LUN's). Another provisioning that took the same LUN first
   * (the database refuses a second disk on it) sends this one to the next free LUN. Undone, the LUN
   * is free again. */
  private async allotLun(
    host: HostEntity,
    d: DiskEntity,
    sd: StorageDomainEntity,
    undo: UndoStack,
    ctx: TaskContext,
  ): Promise<void> {
    const { volumes } = await this.checks.send(host, 'storage.pool.volumes', { pool: poolNameFor(sd) }, ctx);
    const placeholder = d.volumePath;
    let record: Pick<DiskEntity, 'volumePath' | 'virtualSizeBytes' | 'allocationBytes' | 'provisionedAt'>;
    const { lun, taken } = await claimLun(
      volumes,
      d.virtualSizeBytes,
      async () => new Set((await this.diskRepo.provisionedOn(sd.id)).map(lunVolumeOf)),
      (l) => {
        record = {
          volumePath: `${sd.path}/${l.name}`,
          virtualSizeBytes: l.capacityBytes,
          allocationBytes: l.capacityBytes,
          provisionedAt: new Date(),
        };
        return this.diskRepo.takeLun(d.id, record);
      },
    );
    if (!lun)
      throw conflict(
        `iscsi domain ${sd.name} has no free LUN of at least ${d.virtualSizeBytes} bytes for disk ${d.name} ` +
          `(${volumes.length} LUNs, ${taken} taken): add a LUN on the target`,
        [{ reason: 'no free LUN large enough', ref: refOf(ObjectType.StorageDomain, sd) }],
      );
    Object.assign(d, record!);
    undo.onFailure(`LUN ${lun.name} of disk ${d.name}`, () => this.diskRepo.unprovisioned(d.id, placeholder));
  }

  /** Where the VM opens its disks on rbd and iscsi domains (by disk id). */
  private async networkSources(
    disks: DiskEntity[],
    sds: StorageDomainEntity[],
  ): Promise<Map<string, NetworkDiskSource>> {
    const sources = new Map<string, NetworkDiskSource>();
    for (const d of disks) {
      const sd = sds.find((s) => s.id === d.storageDomainId);
      if (!sd || isFileDomain(sd)) continue;
      const source = networkSourceOf(d, sd, await this.secrets.uuidOf(sd.id));
      if (source) sources.set(d.id, source);
    }
    return sources;
  }

  /** Before a start that will provision: the same check on an Up host of the VM's cluster, so the
   * caller gets the 422 at once instead of a failed task. */
  async assertVolumesExistBeforeStart(vm: VmEntity): Promise<void> {
    const disks = await this.diskRepo.ofVm(vm.id);
    if (!disks.some((d) => d.provisionedAt !== null)) return;
    const host = await this.hostRepo.anyUpIn(vm.clusterId);
    if (!host) return; // the scheduler will refuse with its own reason
    const sds = await this.sdRepo.byIds(disks.map((d) => d.storageDomainId));
    await this.assertVolumesExist(host, vm, disks, sds);
  }
}

const onLun = (d: DiskEntity, sds: StorageDomainEntity[]) =>
  sds.find((s) => s.id === d.storageDomainId)?.type === StorageDomainType.Iscsi;

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
