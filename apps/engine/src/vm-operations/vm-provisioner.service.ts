import { ErrorCode, HostStatus, TaskStep } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DomainError } from '../common/errors/domain-error';
import { DiskEntity } from '../disks/disk.entity';
import { HostEntity } from '../hosts/host.entity';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { VnicProfileEntity } from '../networks/vnic-profile.entity';
import { PlacementService } from '../scheduling/placement.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { TaskContext } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { UndoStack } from '../common/undo-stack';
import { assertProvisionedVolumesExist } from './provisioned-volumes';
import { buildVmSpec, poolNameFor, volumeNameFor } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

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
    @InjectRepository(VmEntity) private readonly vmRepo: Repository<VmEntity>,
    @InjectRepository(DiskEntity) private readonly diskRepo: Repository<DiskEntity>,
    @InjectRepository(NicEntity) private readonly nicRepo: Repository<NicEntity>,
    @InjectRepository(HostEntity) private readonly hostRepo: Repository<HostEntity>,
    @InjectRepository(ClusterEntity) private readonly clusterRepo: Repository<ClusterEntity>,
    @InjectRepository(StorageDomainEntity) private readonly sdRepo: Repository<StorageDomainEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly netRepo: Repository<LogicalNetworkEntity>,
    @InjectRepository(VnicProfileEntity) private readonly profileRepo: Repository<VnicProfileEntity>,
    private readonly scheduler: PlacementService,
    private readonly checks: VmGuard,
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
    const disks = await this.diskRepo.find({ where: { vmId }, order: { targetDev: 'ASC' } });
    const nics = await this.nicRepo.find({ where: { vmId } });
    const sds = await this.sdRepo.findBy({ id: In([...new Set(disks.map((d) => d.storageDomainId))]) });
    const networks = await this.netRepo.findBy({ id: In([...new Set(nics.map((n) => n.networkId))]) });
    const profiles = await this.profileRepo.findBy({ id: In([...new Set(nics.map((n) => n.profileId))]) });
    const steps: TaskStep[] = [];
    const step = async (pct: number, name: string, message: string) => {
      steps.push({ name, status: 'done', message });
      await ctx.progress(pct, message, { steps: [...steps] });
    };

    const placement = await this.scheduler.place({
      clusterId: vm.clusterId,
      memoryMib: vm.memoryMib,
      paths: [...sds.map((s) => s.path), ...(vm.cdromIsoPath ? [dirOf(vm.cdromIsoPath)] : [])],
      bridges: networks.map((n) => n.bridge),
      hostId,
      vmId,
    });
    if (!placement.host) {
      steps.push({ name: 'schedule', status: 'failed', message: placement.reason });
      await ctx.progress(5, placement.reason, { steps: [...steps] });
      throw new DomainError(ErrorCode.Unprocessable, placement.reason);
    }
    const host = await this.hostRepo.findOneByOrFail({ id: placement.host.id });
    await step(10, 'schedule', `${hostId ? 'requested host' : 'scheduler chose'} ${placement.reason}`);
    await this.assertVolumesExist(host, vm, disks, sds, ctx);
    await ctx.checkpoint(PROVISION_PHASE.placed, { hostId: host.id });
    await this.vms.setStatus(vmId, vm.status, { hostId: host.id, reason: vm.statusReason });

    // Each resource made on the host registers its removal right away; a failure unwinds them.
    const undo = new UndoStack(this.logger);
    try {
      const pools = new Map<string, string>();
      for (const sd of sds) {
        const res = await this.checks.send(
          host,
          'storage.ensure-pool',
          { name: poolNameFor(sd), path: sd.path },
          ctx,
        );
        pools.set(sd.id, res.pool);
      }
      if (sds.length) await step(20, 'storage', `storage pools: ${[...pools.values()].join(', ')}`);
      // Only never-provisioned disks get a volume; the others were checked to exist above.
      const fresh = disks.filter((x) => x.provisionedAt === null);
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
            await this.diskRepo.update({ id: d.id }, { provisionedAt: null });
          });
        const provisionedAt = new Date();
        await this.diskRepo.update(
          { id: d.id },
          { volumePath: res.path, allocationBytes: res.allocationBytes, provisionedAt },
        );
        Object.assign(d, { volumePath: res.path, provisionedAt });
      }
      if (disks.length) await step(50, 'volumes', `volumes: ${disks.map((d) => d.volumePath).join(', ')}`);
      const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
      const spec = {
        ...buildVmSpec(
          vm,
          disks,
          nics,
          new Map(networks.map((n) => [n.id, n])),
          host.capabilities,
          cluster.switchType,
          new Map(profiles.map((x) => [x.id, x])),
        ),
        ...(placement.cpu ? { cpu: placement.cpu } : {}),
      };
      await ctx.checkpoint(PROVISION_PHASE.defining, { hostId: host.id, volumes });
      const res = await this.checks.send(host, 'vm.define-spec', { spec }, ctx);
      undo.onFailure(`domain ${res.domain.name}`, () =>
        this.checks.send(host, 'vm.undefine', { uuid: vmId }),
      );
      await step(90, 'define', `defined ${res.domain.name} (${spec.virtType}) on ${host.name}`);
      return {
        hostId: host.id,
        hostName: host.name,
        placement: placement.reason,
        domainName: res.domain.name,
      };
    } catch (err) {
      await undo.unwind();
      await this.vmRepo.update({ id: vmId }, { hostId: null });
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
    await assertProvisionedVolumesExist(vm.name, disks, sds, async (paths) => {
      const res = await this.checks.send(host, 'host.check-resources', { paths, bridges: [] }, ctx);
      return res.missingPaths;
    });
  }

  /** Before a start that will provision: the same check on an Up host of the VM's cluster, so the
   * caller gets the 422 at once instead of a failed task. */
  async assertVolumesExistBeforeStart(vm: VmEntity): Promise<void> {
    const disks = await this.diskRepo.findBy({ vmId: vm.id });
    if (!disks.some((d) => d.provisionedAt !== null)) return;
    const host = await this.hostRepo.findOneBy({ clusterId: vm.clusterId, status: HostStatus.Up });
    if (!host) return; // the scheduler will refuse with its own reason
    const sds = await this.sdRepo.findBy({ id: In([...new Set(disks.map((d) => d.storageDomainId))]) });
    await this.assertVolumesExist(host, vm, disks, sds);
  }
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
