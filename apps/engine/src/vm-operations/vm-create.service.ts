import { DiskBus, DiskCache, NicModel, ObjectType, Task } from '@kelpie/shared-types';
import { assertBusFitsMachine } from '../disks/machine-bus';
import { AffinityJoin } from '../scheduling/affinity-join';
import { Injectable, Logger } from '@nestjs/common';
import { ClusterRepository } from '../clusters/cluster.repository';
import { validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskRepository } from '../disks/disk.repository';
import { DisksService } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import { ChangeNotifier, findReferenced, refOf } from '../crud/inventory.service';
import { NicsService } from '../nics/nics.service';
import { StreamService } from '../stream/stream.service';
import { TasksService } from '../tasks/tasks.service';
import { CreateVmDiskDto, CreateVmNicDto } from '../vms/vm-devices.dto';
import { CreateVmDto } from '../vms/vm.dto';
import type { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { VmsService } from '../vms/vms.service';
import { UndoStack } from '../common/undo-stack';
import { ImagesService } from '../images/images.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmProvisioner } from './vm-provisioner.service';

export const CREATE_TASK = 'vm.create';
const GIB = 1024 ** 3;

interface ProvisionSpec {
  disks: CreateVmDiskDto[];
  nics: CreateVmNicDto[];
}

/** Creating a VM: its definition only, or its records and a `vm.create` task that provisions it on a
 * host (VmProvisioner). */
@Injectable()
export class VmCreateService {
  private readonly logger = new Logger('VmCreate');
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly vms: VmsService,
    private readonly disksService: DisksService,
    private readonly nicsService: NicsService,
    private readonly vmRepo: VmRepository,
    private readonly diskRepo: DiskRepository,
    private readonly clusterRepo: ClusterRepository,
    private readonly tasks: TasksService,
    private readonly checks: VmGuard,
    private readonly provisioner: VmProvisioner,
    private readonly images: ImagesService,
    private readonly affinity: AffinityJoin,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** True when the create request asks for a VM on a host (202 + task), not just a definition. */
  static provisions(dto: CreateVmDto): boolean {
    return (
      dto.hostId !== undefined || dto.disks !== undefined || dto.nics !== undefined || dto.boot !== undefined
    );
  }

  async create(dto: CreateVmDto, meta: RequestMeta): Promise<{ vm: VmEntity; task?: Task }> {
    if (!VmCreateService.provisions(dto)) return { vm: await this.recordOnly(dto, meta) };
    const cluster = await findReferenced(this.clusterRepo, ObjectType.Cluster, dto.clusterId, 'clusterId');
    if (dto.hostId) await this.checks.checkChosenHost(dto.hostId, cluster);
    const disks = dto.disks ?? [];
    const nics = dto.nics ?? [];
    assertBusFitsMachine(
      (await this.vms.firmwareFor(dto, cluster)).machineType,
      disks.map((d, i) => ({ bus: d.bus ?? DiskBus.Virtio, field: `disks[${i}].bus` })),
      dto.name,
    );
    for (const [i, d] of disks.entries())
      await this.checks.checkStorageDomain(d.storageDomainId, cluster, `disks[${i}].storageDomainId`, {
        networkDomains: true,
      });
    for (const [i, n] of nics.entries()) {
      const profile = await this.nicsService.profileFor(n, `nics[${i}].`);
      const field = n.profileId !== undefined ? `nics[${i}].profileId` : `nics[${i}].networkId`;
      await this.checks.checkNetwork(profile.networkId, cluster, field);
      if (n.mac) await this.nicsService.assertMacFree(n.mac, `nics[${i}].mac`);
    }
    const boot = dto.boot ?? { kind: 'disk' as const };
    if (boot.kind === 'cdrom' && boot.isoId)
      boot.isoPath = await this.images.isoPathFor(boot.isoId, cluster.datacenterId, 'boot.isoId');
    else if (boot.kind === 'cdrom')
      await this.checks.checkIsoPath(boot.isoPath!, cluster.datacenterId, 'boot.isoPath');
    if (boot.kind !== 'kernel' && (boot.kernel || boot.initrd || boot.cmdline)) {
      throw validationFailed('kernel, initrd and cmdline need boot.kind "kernel"', [
        { field: 'boot.kind', reason: 'must be "kernel" when kernel/initrd/cmdline are given' },
      ]);
    }
    const macs = nics.map((n) => n.mac).filter((m): m is string => !!m);
    if (new Set(macs).size !== macs.length)
      throw validationFailed('duplicate MAC addresses', [
        { field: 'nics', reason: 'MAC addresses must differ' },
      ]);

    const groups = await this.affinity.check(cluster.id, dto.name, dto.affinityGroupIds ?? [], dto.hostId);
    // Records first (the name/MAC uniqueness and every DB constraint answer here, before any host work).
    const vm = await this.vms.create(dto, meta);
    // Until the VM is defined on its host, a failure removes every record made for it.
    const undo = new UndoStack(this.logger);
    undo.onFailure(`records of VM ${vm.name}`, () => this.dropRecords(vm.id, meta));
    try {
      await this.vmRepo.setBoot(
        vm.id,
        boot.kind === 'kernel'
          ? {
              kind: 'kernel',
              kernel: boot.kernel!,
              ...(boot.initrd ? { initrd: boot.initrd } : {}),
              ...(boot.cmdline ? { cmdline: boot.cmdline } : {}),
            }
          : boot.kind === 'cdrom'
            ? { kind: 'cdrom' }
            : { kind: 'disk' },
        boot.kind === 'cdrom' ? boot.isoPath! : null,
      );
      await this.createDeviceRecords(vm, { disks, nics }, meta);
      // Before the provisioning task: its placement already keeps the groups' rules.
      await this.affinity.join(vm.id, groups);
    } catch (err) {
      await undo.unwind();
      throw err;
    }
    const task = await this.tasks.launch(
      {
        type: CREATE_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
      },
      async (ctx) => {
        try {
          const placed = await this.provisioner.provision(ctx, vm.id, dto.hostId ?? null);
          return { vmId: vm.id, ...placed };
        } catch (err) {
          await undo.unwind();
          throw err;
        }
      },
    );
    return { vm: await this.vms.get(vm.id), task };
  }

  /** A VM recorded only (no host yet), in its affinity groups from the start. */
  private async recordOnly(dto: CreateVmDto, meta: RequestMeta): Promise<VmEntity> {
    const ids = dto.affinityGroupIds ?? [];
    if (!ids.length) return this.vms.create(dto, meta);
    const cluster = await findReferenced(this.clusterRepo, ObjectType.Cluster, dto.clusterId, 'clusterId');
    const groups = await this.affinity.check(cluster.id, dto.name, ids);
    const vm = await this.vms.create(dto, meta);
    try {
      await this.affinity.join(vm.id, groups);
    } catch (err) {
      await this.dropRecords(vm.id, meta);
      throw err;
    }
    return this.vms.get(vm.id);
  }

  private async createDeviceRecords(vm: VmEntity, spec: ProvisionSpec, meta: RequestMeta): Promise<void> {
    const short = vm.name.slice(0, 50);
    for (const [i, d] of spec.disks.entries()) {
      await this.disksService.create(
        {
          name: d.name ?? `${short}-disk${i + 1}`,
          storageDomainId: d.storageDomainId,
          virtualSizeBytes: d.sizeGiB * GIB,
          // The disk service picks the domain's default (qcow2; raw on rbd) when none is asked for.
          format: d.format,
          bus: d.bus ?? DiskBus.Virtio,
          cache: d.cache ?? DiskCache.None,
          bootable: d.bootable ?? i === 0,
          vmId: vm.id,
        },
        meta,
      );
    }
    for (const n of spec.nics) {
      await this.nicsService.create(
        {
          vmId: vm.id,
          networkId: n.networkId,
          profileId: n.profileId,
          model: n.model ?? NicModel.Virtio,
          mac: n.mac,
          name: n.name,
        },
        meta,
      );
    }
  }

  /** Deletes a VM record and everything recorded for it (a failed create). */
  private async dropRecords(vmId: string, meta: RequestMeta): Promise<void> {
    const vm = await this.vmRepo.byId(vmId);
    if (!vm) return;
    await this.diskRepo.deleteOfVm(vmId);
    await this.vmRepo.delete(vmId);
    await this.notify.deleted(ObjectType.Vm, vm, meta);
  }
}
