import { NicModel, ObjectRef, ObjectType, type VmNicSpec } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { conflict, validationFailed } from '../common/errors/domain-error';
import { MacPoolsService } from '../mac-pools/mac-pools.service';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { EventsService } from '../events/events.service';
import { InventoryService, refOf } from '../crud/inventory.service';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NetworkRepository } from '../networks/network.repository';
import { VnicProfileEntity } from '../networks/vnic-profile.entity';
import { VnicProfilesService } from '../networks/vnic-profiles.service';
import { StreamService } from '../stream/stream.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { isActive } from '../vms/vm-status.mapping';
import { CreateNicDto, UpdateNicDto } from './nic.dto';
import { NicEntity } from './nic.entity';

/** How a request names what a NIC attaches to: a profile, or a network (= its default profile). */
export interface NicAttachmentRef {
  networkId?: string;
  profileId?: string;
}

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
    private readonly vms: VmRepository,
    private readonly networks: NetworkRepository,
    private readonly profiles: VnicProfilesService,
    private readonly macPools: MacPoolsService,
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
    const vm = await this.vm(dto.vmId);
    const profile = await this.profileFor(dto);
    await this.checkNetwork(profile.networkId, vm);
    const name = dto.name ?? (await this.nextName(vm.id));
    if (dto.mac) await this.assertMacFree(dto.mac);
    const mac = dto.mac ?? (await this.macPools.allocate(vm.datacenterId));
    return this.insert(
      this.repo.create({
        id: randomUUID(),
        name,
        description: dto.description ?? '',
        vmId: vm.id,
        networkId: profile.networkId,
        profileId: profile.id,
        mac,
        model: dto.model ?? NicModel.Virtio,
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateNicDto, meta: RequestMeta): Promise<NicEntity> {
    const current = await this.get(id);
    const { networkId, profileId, ...rest } = dto;
    const patch: Partial<NicEntity> = { ...rest };
    if (networkId !== undefined || profileId !== undefined) {
      const profile = await this.profileFor({ networkId, profileId });
      if (profile.id !== current.profileId) {
        await this.checkNetwork(profile.networkId, await this.vm(current.vmId));
        Object.assign(patch, { networkId: profile.networkId, profileId: profile.id });
      }
    }
    if (dto.mac !== undefined && dto.mac !== current.mac) await this.assertMacFree(dto.mac);
    return this.patch(id, patch, meta, current);
  }

  /** Records a change a task made on the host (profile, network, link), announced like any update. */
  recordChange(
    nic: NicEntity,
    change: Partial<Pick<NicEntity, 'profileId' | 'networkId' | 'linkUp'>>,
    meta: RequestMeta,
  ): Promise<NicEntity> {
    return this.patch(nic.id, change, meta, nic);
  }

  /**
   * The profile a request names: `profileId` (of `networkId` when both are given), else the default
   * profile of `networkId`. Errors name the field under `prefix` (e.g. `nics[0].`).
   */
  async profileFor(ref: NicAttachmentRef, prefix = ''): Promise<VnicProfileEntity> {
    if (ref.profileId !== undefined) {
      const profile = await this.profiles.byField(ref.profileId, `${prefix}profileId`);
      if (ref.networkId !== undefined && ref.networkId !== profile.networkId)
        throw validationFailed(`profile ${profile.name} is not a profile of the network given`, [
          { field: `${prefix}profileId`, reason: `profile of another network (${profile.networkId})` },
        ]);
      return profile;
    }
    if (ref.networkId === undefined)
      throw validationFailed('a NIC needs a network or a vNIC profile', [
        { field: `${prefix}networkId`, reason: 'networkId or profileId is required' },
      ]);
    await this.mustExist(this.networks, ObjectType.Network, ref.networkId, `${prefix}networkId`);
    return this.profiles.defaultOf(ref.networkId);
  }

  /** The VM `id` names, or a 404 naming the field. */
  private vm(id: string): Promise<VmEntity> {
    return this.mustExist({ find: (vmId: string) => this.vms.byId(vmId) }, ObjectType.Vm, id, 'vmId');
  }

  /** 409 naming the VM whose NIC has the address (the unique constraint alone would not say). */
  async assertMacFree(mac: string, field = 'mac'): Promise<void> {
    const holder = await this.repo.findOne({ where: { mac }, relations: { vm: true } });
    if (!holder) return;
    const vmName = holder.vm?.name ?? holder.vmId;
    throw conflict(`MAC ${mac} is already used by NIC ${holder.name} of VM ${vmName}`, [
      { field, reason: `used by VM ${vmName}`, ref: refOf(ObjectType.Vm, holder.vm ?? { id: holder.vmId }) },
    ]);
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
      (await this.vms.onHost(hostId)).filter((v) => isActive(v.status)).map((v) => [v.id, v]),
    );
    if (!vms.size) return [];
    const nics = await this.repo.findBy({ vmId: In([...vms.keys()]), networkId: In(networkIds) });
    return nics.map((nic) => ({ nic, vm: vms.get(nic.vmId)! }));
  }

  /** NICs on the network whose VM runs (or is paused, migrating…) on a host, with that VM. */
  async activeOnNetwork(networkId: string): Promise<{ nic: NicEntity; vm: VmEntity }[]> {
    const nics = await this.repo
      .createQueryBuilder('n')
      .addSelect('n.definedSpec')
      .leftJoinAndSelect('n.vm', 'vm')
      .where('n.networkId = :networkId', { networkId })
      .orderBy('n.name', 'ASC')
      .getMany();
    return nics
      .filter((n) => n.vm?.hostId && isActive(n.vm.status))
      .map(({ vm, ...nic }) => ({ nic: nic as NicEntity, vm: vm! }));
  }

  /** What the host's definition of the NIC is now made from (see `NicEntity.definedSpec`). */
  async recordDefinedSpec(nicId: string, spec: VmNicSpec | null): Promise<void> {
    await this.repo.update({ id: nicId }, { definedSpec: spec });
  }

  private async nextName(vmId: string): Promise<string> {
    const names = new Set(
      (await this.repo.find({ where: { vmId }, select: { name: true } })).map((n) => n.name),
    );
    for (let i = 1; ; i++) if (!names.has(`nic${i}`)) return `nic${i}`;
  }
}
