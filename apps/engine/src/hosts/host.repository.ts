import { HostStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import type { ClusterHostsPort } from '../clusters/cluster-hosts.port';
import { ClusterRepository } from '../clusters/cluster.repository';
import { HostEntity } from './host.entity';
import { HostRows, rowsReferringTo } from '../crud/child-rows.port';
import { treeRefs, visibleRows, type AccessLink, type HostAccess } from '../auth/access-tree.port';

/** What report handling needs to know about the reporting host. */
export interface HostFacts {
  id: string;
  name: string;
  clusterId: string;
  datacenterId: string;
  status: HostStatus;
  statusReason: string | null;
}

/** One host's latest heartbeat, as recorded. */
export interface HeartbeatRow {
  id: string;
  at: Date;
  /** The load figures as stored (with their time), or null. */
  load: string | null;
  protocolVersion: number | null;
}

/** The host table as other features read it: the scheduler, VM operations, and the statements beyond
 * plain entity reads and writes (heartbeats are written in batches by the agents feature, read by its
 * host monitor). */
@Injectable()
export class HostRepository implements ClusterHostsPort, HostRows, HostAccess {
  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    private readonly clusters: ClusterRepository,
  ) {}

  /** The host, then its cluster's chain (HostAccess). */
  async accessLink(id: string): Promise<AccessLink | null> {
    const h = await this.hosts.findOne({ select: { id: true, clusterId: true }, where: { id } });
    return h && { refs: treeRefs(['host', h.id]), up: { type: 'cluster', id: h.clusterId } };
  }

  /** Ids of its rows in `ids` or under clusters (AccessTreeNode: `view` grants pushed down). */
  visibleUnder(ids: string[], under: { cluster: string[]; datacenter: string[] }): Promise<Set<string>> {
    return visibleRows(this.hosts, ids, [['clusterId', under.cluster]]);
  }

  /** The host, or TypeORM's not-found error (callers hold an id they just read). */
  byId(id: string): Promise<HostEntity> {
    return this.hosts.findOneByOrFail({ id });
  }

  /** The host, or null. */
  find(id: string): Promise<HostEntity | null> {
    return this.hosts.findOneBy({ id });
  }

  /** The names of the hosts `ids`, by id. */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length
      ? await this.hosts.find({ where: { id: In([...new Set(ids)]) }, select: { id: true, name: true } })
      : [];
    return new Map(rows.map((h) => [h.id, h.name]));
  }

  /** The hosts `ids` that exist, with their cluster. */
  clustersOf(ids: string[]): Promise<Pick<HostEntity, 'id' | 'clusterId'>[]> {
    return this.hosts.find({ where: { id: In(ids) }, select: { id: true, clusterId: true } });
  }

  /** The cluster's hosts by name (only `onlyHostId` when given). */
  inCluster(clusterId: string, onlyHostId?: string | null): Promise<HostEntity[]> {
    return this.hosts.find({
      where: onlyHostId ? { id: onlyHostId, clusterId } : { clusterId },
      order: { name: 'ASC' },
    });
  }

  /** Some Up host of the cluster, or null. */
  anyUpIn(clusterId: string): Promise<HostEntity | null> {
    return this.hosts.findOneBy({ clusterId, status: HostStatus.Up });
  }

  /** The cluster's hosts that are not in maintenance, by name. */
  notInMaintenanceIn(clusterId: string): Promise<{ id: string; name: string }[]> {
    return this.hosts.find({
      select: { id: true, name: true },
      where: { clusterId, status: Not(HostStatus.Maintenance) },
      order: { name: 'ASC' },
    });
  }

  /** The host's name, status and where it sits (its cluster's datacenter, asked of the clusters). */
  async factsOf(hostId: string): Promise<HostFacts | undefined> {
    const h = await this.hosts.findOne({
      where: { id: hostId },
      select: { id: true, name: true, clusterId: true, status: true, statusReason: true },
    });
    if (!h) return undefined;
    const datacenterId = (await this.clusters.datacentersOf([h.clusterId])).get(h.clusterId);
    if (datacenterId === undefined) return undefined;
    const { id, name, clusterId, status, statusReason } = h;
    return { id, name, clusterId, datacenterId, status, statusReason };
  }

  /** The hosts of a cluster whose agent ever sent a heartbeat, by name. */
  everConnectedIn(clusterId: string): Promise<HostEntity[]> {
    return this.hosts.find({ where: { clusterId, lastHeartbeatAt: Not(IsNull()) }, order: { name: 'ASC' } });
  }

  /** Records a batch in one statement; returns each updated host's status. */
  async recordHeartbeats(batch: HeartbeatRow[]): Promise<{ id: string; status: HostStatus }[]> {
    const r: unknown = await this.hosts.query(
      `UPDATE host h SET last_heartbeat_at = u.at, load = u.load, agent_protocol_version = u.pv
         FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[], $4::int[]) AS u(id, at, load, pv)
        WHERE h.id = u.id
        RETURNING h.id, h.status`,
      [
        batch.map((b) => b.id),
        batch.map((b) => b.at.toISOString()),
        batch.map((b) => b.load),
        batch.map((b) => b.protocolVersion),
      ],
    );
    return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as { id: string; status: HostStatus }[];
  }

  /** Hosts in one of `statuses` whose last recorded heartbeat is older than `cutoff` (or none). */
  silentSince(statuses: HostStatus[], cutoff: Date): Promise<{ id: string; last: Date | null }[]> {
    return this.hosts.query(
      `SELECT id, last_heartbeat_at AS last FROM host
        WHERE status = ANY($1) AND (last_heartbeat_at IS NULL OR last_heartbeat_at < $2)`,
      [statuses, cutoff],
    );
  }

  /** The hosts in `status` (e.g. every non-responsive host fencing considers). */
  withStatus(status: HostStatus): Promise<HostEntity[]> {
    return this.hosts.findBy({ status });
  }

  /** The status of every host of the cluster (how much of it is unreachable). */
  async statusesIn(clusterId: string): Promise<HostStatus[]> {
    const rows = await this.hosts.find({ where: { clusterId }, select: { status: true } });
    return rows.map((h) => h.status);
  }

  /** Hosts of the datacenter (through their clusters) in one of `statuses`, by name. */
  async inDatacenter(datacenterId: string, statuses: HostStatus[]): Promise<HostEntity[]> {
    const clusterIds = await this.clusters.idsIn(datacenterId);
    if (!clusterIds.length || !statuses.length) return [];
    return this.hosts.find({
      where: { clusterId: In(clusterIds), status: In(statuses) },
      order: { name: 'ASC' },
    });
  }

  /** The hosts `ids` that still exist, by name (whatever their status). */
  byIdsByName(ids: string[]): Promise<HostEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.hosts.find({ where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  /** Records one heartbeat's time at once (outside the batch: a status change is about to follow). */
  async heardFrom(id: string, at: Date): Promise<void> {
    await this.hosts.update({ id }, { lastHeartbeatAt: at });
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  readonly referringTo = rowsReferringTo(HostEntity);

  /** The ids of every host, or of those in `status`. */
  async ids(status?: HostStatus): Promise<string[]> {
    const rows = await this.hosts.find({ select: { id: true }, where: status ? { status } : {} });
    return rows.map((h) => h.id);
  }

  exists(id: string): Promise<boolean> {
    return this.hosts.existsBy({ id });
  }

  /** Which of `ids` are hosts. */
  async existing(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.hosts.find({ select: { id: true }, where: { id: In(ids) } });
    return new Set(rows.map((h) => h.id));
  }

  /** The hosts of the clusters the network is attached to. */
  attachedTo(networkId: string): Promise<HostEntity[]> {
    return this.hosts
      .createQueryBuilder('h')
      .where('h.clusterId IN (SELECT cn.cluster_id FROM cluster_network cn WHERE cn.network_id = :id)', {
        id: networkId,
      })
      .getMany();
  }

  /** Every host's name, status and last heartbeat, by name (the fleet gauges). */
  allByName(): Promise<Pick<HostEntity, 'id' | 'name' | 'status' | 'lastHeartbeatAt'>[]> {
    return this.hosts.find({
      select: { id: true, name: true, status: true, lastHeartbeatAt: true },
      order: { name: 'ASC' },
    });
  }
}
