import { GrantObjectType, Permission } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AccessTreeNode,
  AccessTreePart,
  ChainType,
  ClusterAccess,
  DatacenterAccess,
  DiskAccess,
  HostAccess,
  MigrationAccess,
  NetworkAccess,
  NicAccess,
  SnapshotAccess,
  StorageDomainAccess,
  TaskAccess,
  TreeRef,
  VmAccess,
} from './access-tree.port';

export type { TreeRef } from './access-tree.port';

export interface HeldGrant {
  objectType: GrantObjectType;
  objectId: string | null;
  permissions: Permission[];
}

/** Ids of every object a caller may see, per kind (grants pushed down the tree). */
export interface VisibleIds {
  datacenter: Set<string>;
  cluster: Set<string>;
  host: Set<string>;
  storage_domain: Set<string>;
  network: Set<string>;
  vm: Set<string>;
}

/** The owner's port of each kind. VMs inherit from their cluster and datacenter, not from the host
 * they happen to run on (a migration must not change who may act on a VM); a disk, NIC, snapshot or
 * migration from its VM (a floating disk from its storage domain); a task from its target. */
const PORTS: Record<ChainType, abstract new () => AccessTreePart> = {
  datacenter: DatacenterAccess,
  cluster: ClusterAccess,
  host: HostAccess,
  storage_domain: StorageDomainAccess,
  network: NetworkAccess,
  vm: VmAccess,
  disk: DiskAccess,
  nic: NicAccess,
  snapshot: SnapshotAccess,
  migration: MigrationAccess,
  task: TaskAccess,
};

/** The longest chain: task → disk → VM (a VM's row names its cluster and datacenter). */
const MAX_HOPS = 4;

/** Reads for authorization: a caller's grants (auth's tables), and through the owners' ports an
 * object's ancestors and what a caller may see. */
@Injectable()
export class AccessRepository {
  private readonly parts = new Map<ChainType, AccessTreePart>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  private part<P extends AccessTreePart>(type: ChainType): P {
    const part = this.parts.get(type) ?? this.moduleRef.get<AccessTreePart>(PORTS[type], { strict: false });
    this.parts.set(type, part);
    return part as P;
  }

  async grantsOf(userId: string, groupIds: string[]): Promise<HeldGrant[]> {
    const rows: { object_type: GrantObjectType; object_id: string | null; permissions: Permission[] }[] =
      await this.ds.query(
        `SELECT g.object_type, g.object_id, r.permissions FROM role_grant g JOIN role r ON r.id = g.role_id
          WHERE (g.principal_type = 'user' AND g.principal_id = $1)
             OR (g.principal_type = 'group' AND g.principal_id = ANY($2::uuid[]))`,
        [userId, groupIds],
      );
    return rows.map((r) => ({
      objectType: r.object_type,
      objectId: r.object_id,
      permissions: r.permissions,
    }));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    const rows: { group_id: string }[] = await this.ds.query(
      `SELECT group_id FROM group_member WHERE user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.group_id);
  }

  /** The object and its ancestors (nearest first), or null when it (or a link of its chain) does not
   * exist. One owner's statement per link: a VM, cluster, datacenter, domain or network at once; a
   * host, disk, NIC, snapshot or migration in two; a task in one more than its target. */
  async chain(type: ChainType, id: string): Promise<TreeRef[] | null> {
    const refs: TreeRef[] = [];
    let at: { type: string; id: string } | undefined = { type, id };
    for (let hop = 0; at; hop++) {
      // A task's target is never a task; nothing else points further than MAX_HOPS.
      if (!Object.hasOwn(PORTS, at.type) || (hop > 0 && at.type === 'task') || hop >= MAX_HOPS) return null;
      const link = await this.part(at.type as ChainType).accessLink(at.id);
      if (!link) return null;
      refs.push(...link.refs);
      at = link.up;
    }
    return refs;
  }

  /** Pushes `view` grants down the tree: a datacenter shows its clusters, hosts, VMs, domains and
   * networks; a cluster its hosts and VMs. */
  async visibleIds(grants: HeldGrant[]): Promise<VisibleIds> {
    const granted = (t: GrantObjectType) =>
      grants
        .filter((g) => g.objectType === t && g.objectId && g.permissions.includes(Permission.View))
        .map((g) => g.objectId!);
    const dcs = granted('datacenter');
    const under = (
      type: 'cluster' | 'host' | 'vm' | 'storage_domain' | 'network',
      parents: {
        cluster?: string[];
        datacenter?: string[];
      },
    ) =>
      this.part<AccessTreeNode>(type).visibleUnder(granted(type), {
        cluster: parents.cluster ?? [],
        datacenter: parents.datacenter ?? [],
      });
    const visibleClusters = await under('cluster', { datacenter: dcs });
    const clusterList = [...visibleClusters];
    return {
      datacenter: new Set(dcs),
      cluster: visibleClusters,
      host: await under('host', { cluster: clusterList }),
      vm: await under('vm', { cluster: clusterList, datacenter: dcs }),
      storage_domain: await under('storage_domain', { datacenter: dcs }),
      network: await under('network', { datacenter: dcs }),
    };
  }
}
