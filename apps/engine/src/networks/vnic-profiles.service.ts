import { ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { conflict, invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ChangeNotifier, findReferenced, refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { LogicalNetworkEntity } from './network.entity';
import { ProfileNicsPort } from './profile-nics.port';
import { CreateVnicProfileDto, NicQosLimitDto, UpdateVnicProfileDto } from './vnic-profile.dto';
import { VnicProfileEntity } from './vnic-profile.entity';

type QosColumns = Pick<
  VnicProfileEntity,
  | 'inboundAverageKibps'
  | 'inboundPeakKibps'
  | 'inboundBurstKib'
  | 'outboundAverageKibps'
  | 'outboundPeakKibps'
  | 'outboundBurstKib'
>;

/** A direction of the request as its three columns: null clears them, undefined leaves them. */
function qosColumns(
  dir: 'inbound' | 'outbound',
  limit: NicQosLimitDto | null | undefined,
): Partial<QosColumns> {
  if (limit === undefined) return {};
  return {
    [`${dir}AverageKibps`]: limit?.averageKiBps ?? null,
    [`${dir}PeakKibps`]: limit?.peakKiBps ?? null,
    [`${dir}BurstKib`]: limit?.burstKiB ?? null,
  };
}

/** vNIC profiles of a network: CRUD, the default profile every network has, in-use protection. */
@Injectable()
export class VnicProfilesService {
  private readonly notify: ChangeNotifier;

  constructor(
    @InjectRepository(VnicProfileEntity) private readonly repo: Repository<VnicProfileEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly networks: Repository<LogicalNetworkEntity>,
    events: EventsService,
    stream: StreamService,
    private readonly owners: ModuleRef,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** The profile made with each network: named like it, no QoS. */
  static async createDefault(tx: EntityManager, network: LogicalNetworkEntity): Promise<void> {
    await tx.insert(VnicProfileEntity, {
      id: randomUUID(),
      networkId: network.id,
      name: network.name,
      description: 'default profile of the network (no QoS)',
      isDefault: true,
    });
  }

  async list(networkId: string): Promise<VnicProfileEntity[]> {
    await this.network(networkId);
    return this.repo.find({ where: { networkId }, order: { isDefault: 'DESC', name: 'ASC' } });
  }

  async get(networkId: string, id: string): Promise<VnicProfileEntity> {
    const p = await this.repo.findOneBy({ id, networkId });
    if (!p) throw notFound('vnic_profile', id);
    return p;
  }

  async defaultOf(networkId: string): Promise<VnicProfileEntity> {
    const p = await this.repo.findOneBy({ networkId, isDefault: true });
    if (!p) throw notFound('vnic_profile', `default of network ${networkId}`);
    return p;
  }

  /** The profile a request field names (404 naming the field when there is none). */
  byField(id: string, field: string): Promise<VnicProfileEntity> {
    return findReferenced(this.repo, 'vnic_profile' as ObjectType, id, field);
  }

  async create(networkId: string, dto: CreateVnicProfileDto, meta: RequestMeta): Promise<VnicProfileEntity> {
    const network = await this.network(networkId);
    await this.assertNameFree(network, dto.name);
    const id = randomUUID();
    await this.repo.insert({
      id,
      networkId,
      name: dto.name,
      description: dto.description ?? '',
      isDefault: false,
      ...qosColumns('inbound', dto.inbound ?? null),
      ...qosColumns('outbound', dto.outbound ?? null),
      portMirroring: dto.portMirroring ?? false,
    });
    await this.announce(network, meta);
    return this.get(networkId, id);
  }

  async update(
    networkId: string,
    id: string,
    dto: UpdateVnicProfileDto,
    meta: RequestMeta,
  ): Promise<VnicProfileEntity> {
    const network = await this.network(networkId);
    const current = await this.get(networkId, id);
    if (dto.name !== undefined && dto.name !== current.name) await this.assertNameFree(network, dto.name);
    const set = {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...qosColumns('inbound', dto.inbound),
      ...qosColumns('outbound', dto.outbound),
      ...(dto.portMirroring !== undefined ? { portMirroring: dto.portMirroring } : {}),
    };
    if (Object.keys(set).length) {
      await this.repo.update({ id }, set);
      await this.announce(network, meta);
    }
    return this.get(networkId, id);
  }

  async remove(networkId: string, id: string, meta: RequestMeta): Promise<void> {
    const network = await this.network(networkId);
    const profile = await this.get(networkId, id);
    if (profile.isDefault) {
      throw invalidState(
        `profile ${profile.name} is the default profile of network ${network.name}: it goes with the network`,
        [{ reason: 'default profile', ref: refOf(ObjectType.Network, network) }],
      );
    }
    await this.repo.manager.transaction(async (tx) => {
      const nics = await this.owners.get(ProfileNicsPort, { strict: false }).usingProfile(tx, id);
      if (nics.length) {
        const names = nics.map((n) => `${n.vm?.name ?? '?'} (${n.name})`);
        throw invalidState(`profile ${profile.name} is used by the NICs of ${names.join(', ')}`, [
          ...nics.map((n) => ({ reason: 'NIC uses the profile', ref: refOf(ObjectType.Nic, n) })),
        ]);
      }
      await tx.delete(VnicProfileEntity, { id });
    });
    await this.announce(network, meta);
  }

  private async network(id: string): Promise<LogicalNetworkEntity> {
    const n = await this.networks.findOneBy({ id });
    if (!n) throw notFound(ObjectType.Network, id);
    return n;
  }

  private async assertNameFree(network: LogicalNetworkEntity, name: string): Promise<void> {
    if (await this.repo.existsBy({ networkId: network.id, name }))
      throw conflict(`network ${network.name} already has a profile named ${name}`, [
        { field: 'name', reason: 'name taken', ref: refOf(ObjectType.Network, network) },
      ]);
  }

  private announce(network: LogicalNetworkEntity, meta: RequestMeta): Promise<void> {
    return this.notify.updated(ObjectType.Network, network, ['vnicProfiles'], meta);
  }
}
