import { GrantObjectType, Permission } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ResolvableType } from './access.decorator';

/** One object of the tree a grant can sit on. */
export interface TreeRef {
  type: GrantObjectType;
  id: string;
}

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

/** Each kind's parents, nearest first, as SQL returning (type, id) rows for `$1` = the object id.
 * VMs inherit from their cluster and datacenter, not from the host they happen to run on (a
 * migration must not change who may act on a VM). */
const CHAIN_SQL: Record<Exclude<ResolvableType, 'system'>, string> = {
  datacenter: `SELECT 'datacenter' AS type, id FROM datacenter WHERE id = $1`,
  cluster: `SELECT unnest(ARRAY['cluster','datacenter']) AS type, unnest(ARRAY[id, datacenter_id]) AS id
              FROM cluster WHERE id = $1`,
  host: `SELECT unnest(ARRAY['host','cluster','datacenter']) AS type,
                unnest(ARRAY[h.id, h.cluster_id, c.datacenter_id]) AS id
           FROM host h JOIN cluster c ON c.id = h.cluster_id WHERE h.id = $1`,
  storage_domain: `SELECT unnest(ARRAY['storage_domain','datacenter']) AS type,
                          unnest(ARRAY[id, datacenter_id]) AS id FROM storage_domain WHERE id = $1`,
  network: `SELECT unnest(ARRAY['network','datacenter']) AS type, unnest(ARRAY[id, datacenter_id]) AS id
              FROM logical_network WHERE id = $1`,
  vm: `SELECT unnest(ARRAY['vm','cluster','datacenter']) AS type,
              unnest(ARRAY[id, cluster_id, datacenter_id]) AS id FROM vm WHERE id = $1`,
  disk: `SELECT unnest(ARRAY['vm','cluster','datacenter']) AS type,
                unnest(ARRAY[v.id, v.cluster_id, v.datacenter_id]) AS id
           FROM disk d JOIN vm v ON v.id = d.vm_id WHERE d.id = $1
         UNION ALL
         SELECT unnest(ARRAY['storage_domain','datacenter']), unnest(ARRAY[s.id, s.datacenter_id])
           FROM disk d JOIN storage_domain s ON s.id = d.storage_domain_id WHERE d.id = $1 AND d.vm_id IS NULL`,
  nic: `SELECT unnest(ARRAY['vm','cluster','datacenter']) AS type,
               unnest(ARRAY[v.id, v.cluster_id, v.datacenter_id]) AS id
          FROM nic n JOIN vm v ON v.id = n.vm_id WHERE n.id = $1`,
  snapshot: `SELECT unnest(ARRAY['vm','cluster','datacenter']) AS type,
                    unnest(ARRAY[v.id, v.cluster_id, v.datacenter_id]) AS id
               FROM snapshot s JOIN vm v ON v.id = s.vm_id WHERE s.id = $1`,
  migration: `SELECT unnest(ARRAY['vm','cluster','datacenter']) AS type,
                     unnest(ARRAY[v.id, v.cluster_id, v.datacenter_id]) AS id
                FROM vm_migration m JOIN vm v ON v.id = m.vm_id WHERE m.id = $1`,
  // A task is resolved through its target by the caller (see taskTarget).
  task: `SELECT NULL::text AS type, NULL::uuid AS id WHERE false`,
};

/** Reads for authorization: a caller's grants, an object's ancestors, what a caller may see. */
@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

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

  /** The object and its ancestors (nearest first), or null when it does not exist. */
  async chain(type: Exclude<ResolvableType, 'system'>, id: string): Promise<TreeRef[] | null> {
    if (type === 'task') {
      const target = await this.taskTarget(id);
      if (!target) return null;
      return this.chain(target.type, target.id);
    }
    const rows: TreeRef[] = await this.ds.query(CHAIN_SQL[type], [id]);
    return rows.length ? rows.filter((r) => r.id) : null;
  }

  private async taskTarget(
    id: string,
  ): Promise<{ type: Exclude<ResolvableType, 'system' | 'task'>; id: string } | null> {
    const rows: { target_type: string | null; target_id: string | null }[] = await this.ds.query(
      `SELECT target_type, target_id FROM task WHERE id = $1`,
      [id],
    );
    const t = rows[0];
    if (!t?.target_type || !t.target_id || !(t.target_type in CHAIN_SQL) || t.target_type === 'task')
      return null;
    return { type: t.target_type as Exclude<ResolvableType, 'system' | 'task'>, id: t.target_id };
  }

  /** Pushes `view` grants down the tree: a datacenter shows its clusters, hosts, VMs, domains and
   * networks; a cluster its hosts and VMs. */
  async visibleIds(grants: HeldGrant[]): Promise<VisibleIds> {
    const granted = (t: GrantObjectType) =>
      grants
        .filter((g) => g.objectType === t && g.objectId && g.permissions.includes(Permission.View))
        .map((g) => g.objectId!);
    const dcs = granted('datacenter');
    const clusters = granted('cluster');
    const ids = async (sql: string, params: unknown[]) =>
      new Set(((await this.ds.query(sql, params)) as { id: string }[]).map((r) => r.id));
    const visibleClusters = await ids(
      `SELECT id FROM cluster WHERE id = ANY($1::uuid[]) OR datacenter_id = ANY($2::uuid[])`,
      [clusters, dcs],
    );
    const clusterList = [...visibleClusters];
    return {
      datacenter: new Set(dcs),
      cluster: visibleClusters,
      host: await ids(`SELECT id FROM host WHERE id = ANY($1::uuid[]) OR cluster_id = ANY($2::uuid[])`, [
        granted('host'),
        clusterList,
      ]),
      vm: await ids(
        `SELECT id FROM vm WHERE id = ANY($1::uuid[]) OR cluster_id = ANY($2::uuid[]) OR datacenter_id = ANY($3::uuid[])`,
        [granted('vm'), clusterList, dcs],
      ),
      storage_domain: await ids(
        `SELECT id FROM storage_domain WHERE id = ANY($1::uuid[]) OR datacenter_id = ANY($2::uuid[])`,
        [granted('storage_domain'), dcs],
      ),
      network: await ids(
        `SELECT id FROM logical_network WHERE id = ANY($1::uuid[]) OR datacenter_id = ANY($2::uuid[])`,
        [granted('network'), dcs],
      ),
    };
  }
}
