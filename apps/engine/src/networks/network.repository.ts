import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClusterNetworkEntity, LogicalNetworkEntity } from './network.entity';
import { VnicProfileEntity } from './vnic-profile.entity';
import { NetworkRows, rowsReferringTo } from '../crud/child-rows.port';
import { linkOfRow, visibleRows, type AccessLink, type NetworkAccess } from '../auth/access-tree.port';

/** Logical networks, their attachments to clusters and vNIC profiles as other features read them (the
 * scheduler, provisioning, hosts' network state). */
@Injectable()
export class NetworkRepository implements NetworkRows, NetworkAccess {
  constructor(
    @InjectRepository(LogicalNetworkEntity) private readonly networks: Repository<LogicalNetworkEntity>,
    @InjectRepository(VnicProfileEntity) private readonly profiles: Repository<VnicProfileEntity>,
    @InjectRepository(ClusterNetworkEntity) private readonly attachments: Repository<ClusterNetworkEntity>,
  ) {}

  /** The logical network and its datacenter (NetworkAccess). */
  accessLink(id: string): Promise<AccessLink | null> {
    return linkOfRow(this.networks, id, 'network', [['datacenter', 'datacenterId']]);
  }

  /** Ids of its rows in `ids` or under datacenters (AccessTreeNode: `view` grants pushed down). */
  visibleUnder(ids: string[], under: { cluster: string[]; datacenter: string[] }): Promise<Set<string>> {
    return visibleRows(this.networks, ids, [['datacenterId', under.datacenter]]);
  }

  /** The network, or TypeORM's not-found error (callers hold a row that references it). */
  byId(id: string): Promise<LogicalNetworkEntity> {
    return this.networks.findOneByOrFail({ id });
  }

  byIds(ids: Iterable<string>): Promise<LogicalNetworkEntity[]> {
    return this.networks.findBy({ id: In([...new Set(ids)]) });
  }

  /** The profile, or TypeORM's not-found error (callers hold a row that references it). */
  profileById(id: string): Promise<VnicProfileEntity> {
    return this.profiles.findOneByOrFail({ id });
  }

  profilesByIds(ids: Iterable<string>): Promise<VnicProfileEntity[]> {
    return this.profiles.findBy({ id: In([...new Set(ids)]) });
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  readonly referringTo = rowsReferringTo(LogicalNetworkEntity);

  /** The cluster's network attachments, each with its network. */
  attachmentsOf(clusterId: string): Promise<ClusterNetworkEntity[]> {
    return this.attachments.find({ where: { clusterId }, relations: { network: true } });
  }

  /** The networks of the datacenter the cluster belongs to. */
  ofDatacenterOfCluster(clusterId: string): Promise<LogicalNetworkEntity[]> {
    return this.networks
      .createQueryBuilder('n')
      .where('n.datacenterId = (SELECT c.datacenter_id FROM cluster c WHERE c.id = :clusterId)', {
        clusterId,
      })
      .getMany();
  }

  /** The datacenter's networks called one of `names`. */
  namedIn(datacenterId: string, names: string[]): Promise<LogicalNetworkEntity[]> {
    return this.networks.findBy({ name: In(names), datacenterId });
  }

  /** The network, or null. */
  find(id: string): Promise<LogicalNetworkEntity | null> {
    return this.networks.findOneBy({ id });
  }

  /** Whether the network is attached to the cluster. */
  attachedTo(clusterId: string, networkId: string): Promise<boolean> {
    return this.attachments.existsBy({ clusterId, networkId });
  }
}
