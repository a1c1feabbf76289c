import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClusterEntity } from './cluster.entity';
import { ClusterRows, rowsReferringTo } from '../crud/child-rows.port';
import { linkOfRow, visibleRows, type AccessLink, type ClusterAccess } from '../auth/access-tree.port';

/** The cluster table as other features read it (the scheduler, VM operations). */
@Injectable()
export class ClusterRepository implements ClusterRows, ClusterAccess {
  constructor(@InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>) {}

  /** The cluster and its datacenter (ClusterAccess). */
  accessLink(id: string): Promise<AccessLink | null> {
    return linkOfRow(this.clusters, id, 'cluster', [['datacenter', 'datacenterId']]);
  }

  /** Ids of its rows in `ids` or under datacenters (AccessTreeNode: `view` grants pushed down). */
  visibleUnder(ids: string[], under: { cluster: string[]; datacenter: string[] }): Promise<Set<string>> {
    return visibleRows(this.clusters, ids, [['datacenterId', under.datacenter]]);
  }

  find(id: string): Promise<ClusterEntity | null> {
    return this.clusters.findOneBy({ id });
  }

  /** Clusters whose periodic balancing is on. */
  async balancedIds(): Promise<string[]> {
    const rows = await this.clusters.find({ where: { balancingEnabled: true }, select: { id: true } });
    return rows.map((c) => c.id);
  }

  /** The cluster, or TypeORM's not-found error (callers hold a row that references it). */
  byId(id: string): Promise<ClusterEntity> {
    return this.clusters.findOneByOrFail({ id });
  }

  /** The datacenters of these clusters, by cluster id. */
  async datacentersOf(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length
      ? await this.clusters.find({
          where: { id: In([...new Set(ids)]) },
          select: { id: true, datacenterId: true },
        })
      : [];
    return new Map(rows.map((c) => [c.id, c.datacenterId]));
  }

  /** The ids of the datacenter's clusters. */
  async idsIn(datacenterId: string): Promise<string[]> {
    const rows = await this.clusters.find({ where: { datacenterId }, select: { id: true } });
    return rows.map((c) => c.id);
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  readonly referringTo = rowsReferringTo(ClusterEntity);
}
