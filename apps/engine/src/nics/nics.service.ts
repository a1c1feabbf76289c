import { NicModel, ObjectRef, ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { conflict, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { EventsService } from '../events/events.service';
import { InventoryService, refOf } from '../crud/inventory.service';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { StreamService } from '../stream/stream.service';
import { VmEntity } from '../vms/vm.entity';
import { isActive } from '../vms/vm-status.mapping';
import { CreateNicDto, UpdateNicDto } from './nic.dto';
import { NicEntity } from './nic.entity';

/** QEMU's locally administered prefix, like libvirt and oVirt pools. */
export const randomMac = () =>
  `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

@Injectable()
export class NicsService extends InventoryService<NicEntity> {
  protected readonly type = ObjectType.Nic;
  protected readonly alias = 'nic';
  protected readonly listSpec: ListSpec = {
    sortable: { name: 'nic.name', mac: 'nic.mac', createdAt: 'nic.createdAt', updatedAt: 'nic.updatedAt' },
    defaultSort: 'name',
    search: 'nic.name',
    filters: { vmId: 'nic.vmId', networkId: 'nic.networkId' },
  };

  constructor(
    @InjectRepository(NicEntity) repo: Repository<NicEntity>,
    @InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly networks: Repository<LogicalNetworkEntity>,
    events: EventsService,
    stream: StreamService,
  ) {
    super(repo, events, stream);
  }

  protected override related(n: NicEntity): ObjectRef[] {
    return [
      { type: ObjectType.Vm, id: n.vmId },
      { type: ObjectType.Network, id: n.networkId },
    ];
  }

  async create(dto: CreateNicDto, meta: RequestMeta): Promise<NicEntity> {
    const vm = await this.mustExist(this.vms, ObjectType.Vm, dto.vmId, 'vmId');
    await this.checkNetwork(dto.networkId, vm);
    const name = dto.name ?? (await this.nextName(vm.id));
    const mac = dto.mac ?? (await this.freeMac());
    return this.insert(
      this.repo.create({
        id: randomUUID(),
        name,
        description: dto.description ?? '',
        vmId: vm.id,
        networkId: dto.networkId,
        mac,
        model: dto.model ?? NicModel.Virtio,
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateNicDto, meta: RequestMeta): Promise<NicEntity> {
    const current = await this.get(id);
    if (dto.networkId !== undefined && dto.networkId !== current.networkId) {
      await this.checkNetwork(dto.networkId, await this.vms.findOneByOrFail({ id: current.vmId }));
    }
    return this.patch(id, dto, meta, current);
  }

  private async checkNetwork(networkId: string, vm: VmEntity): Promise<LogicalNetworkEntity> {
    const net = await this.mustExist(this.networks, ObjectType.Network, networkId, 'networkId');
    if (net.datacenterId !== vm.datacenterId) {
      throw validationFailed("network is not in the VM's datacenter", [
        {
          field: 'networkId',
          reason: 'network belongs to another datacenter',
          ref: refOf(ObjectType.Network, net),
        },
      ]);
    }
    if (!net.vmNetwork) {
      throw validationFailed(`network ${net.name} does not carry VM traffic`, [
        { field: 'networkId', reason: 'not a VM network', ref: refOf(ObjectType.Network, net) },
      ]);
    }
    return net;
  }

  /** NICs on these networks of VMs that occupy the host now (their taps sit on its bridges). */
  async inUseOnHost(hostId: string, networkIds: string[]): Promise<{ nic: NicEntity; vm: VmEntity }[]> {
    if (!networkIds.length) return [];
    const vms = new Map(
      (await this.vms.findBy({ hostId })).filter((v) => isActive(v.status)).map((v) => [v.id, v]),
    );
    if (!vms.size) return [];
    const nics = await this.repo.findBy({ vmId: In([...vms.keys()]), networkId: In(networkIds) });
    return nics.map((nic) => ({ nic, vm: vms.get(nic.vmId)! }));
  }

  private async nextName(vmId: string): Promise<string> {
    const names = new Set(
      (await this.repo.find({ where: { vmId }, select: { name: true } })).map((n) => n.name),
    );
    for (let i = 1; ; i++) if (!names.has(`nic${i}`)) return `nic${i}`;
  }

  private async freeMac(): Promise<string> {
    for (let i = 0; i < 16; i++) {
      const mac = randomMac();
      if (!(await this.repo.existsBy({ mac }))) return mac;
    }
    throw conflict('could not find a free MAC address', [{ field: 'mac', reason: 'pool exhausted' }]);
  }
}
