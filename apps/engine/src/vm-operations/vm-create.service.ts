import { DiskBus, DiskCache, DiskFormat, NicModel, ObjectType, Task } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskEntity } from '../disks/disk.entity';
import { DisksService } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import { ChangeNotifier, findReferenced, refOf } from '../crud/inventory.service';
import { NicsService } from '../nics/nics.service';
import { StreamService } from '../stream/stream.service';
import { TasksService } from '../tasks/tasks.service';
import { CreateVmDiskDto, CreateVmNicDto } from '../vms/vm-devices.dto';
import { CreateVmDto } from '../vms/vm.dto';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';
import { UndoStack } from '../common/undo-stack';
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
    @InjectRepository(VmEntity) private readonly vmRepo: Repository<VmEntity>,
    @InjectRepository(DiskEntity) private readonly diskRepo: Repository<DiskEntity>,
    @InjectRepository(ClusterEntity) private readonly clusterRepo: Repository<ClusterEntity>,
    private readonly tasks: TasksService,
    private readonly checks: VmGuard,
    private readonly provisioner: VmProvisioner,
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
    if (!VmCreateService.provisions(dto)) return { vm: await this.vms.create(dto, meta) };
    const cluster = await findReferenced(this.clusterRepo, ObjectType.Cluster, dto.clusterId, 'clusterId');
    if (dto.hostId) await this.checks.checkChosenHost(dto.hostId, cluster);
    const disks = dto.disks ?? [];
    const nics = dto.nics ?? [];
    for (const [i, d] of disks.entries())
      await this.checks.checkStorageDomain(d.storageDomainId, cluster, `disks[${i}].storageDomainId`);
    for (const [i, n] of nics.entries()) {
      const profile = await this.nicsService.profileFor(n, `nics[${i}].`);
      const field = n.profileId !== undefined ? `nics[${i}].profileId` : `nics[${i}].networkId`;
      await this.checks.checkNetwork(profile.networkId, cluster, field);
      if (n.mac) await this.nicsService.assertMacFree(n.mac, `nics[${i}].mac`);
    }
    const boot = dto.boot ?? { kind: 'disk' as const };
    if (boot.kind === 'cdrom')
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

    // Records first (the name/MAC uniqueness and every DB constraint answer here, before any host work).
    const vm = await this.vms.create(dto, meta);
    // Until the VM is defined on its host, a failure removes every record made for it.
    const undo = new UndoStack(this.logger);
    undo.onFailure(`records of VM ${vm.name}`, () => this.dropRecords(vm.id, meta));
    try {
      await this.vmRepo.update(
        { id: vm.id },
        {
          boot:
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
          cdromIsoPath: boot.kind === 'cdrom' ? boot.isoPath! : null,
        },
      );
      await this.createDeviceRecords(vm, { disks, nics }, meta);
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

  private async createDeviceRecords(vm: VmEntity, spec: ProvisionSpec, meta: RequestMeta): Promise<void> {
    const short = vm.name.slice(0, 50);
    for (const [i, d] of spec.disks.entries()) {
      await this.disksService.create(
        {
          name: d.name ?? `${short}-disk${i + 1}`,
          storageDomainId: d.storageDomainId,
          virtualSizeBytes: d.sizeGiB * GIB,
          format: d.format ?? DiskFormat.Qcow2,
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
    const vm = await this.vmRepo.findOneBy({ id: vmId });
    if (!vm) return;
    await this.diskRepo.delete({ vmId });
    await this.vmRepo.delete({ id: vmId });
    await this.notify.deleted(ObjectType.Vm, vm, meta);
  }
}
