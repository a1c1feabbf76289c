import { ObjectRef, ObjectType } from '@kelpie/shared-types';
import type { DataSource } from 'typeorm';
import type { HostEntity } from '../hosts/host.entity';
import type { VmEntity } from '../vms/vm.entity';

type Queryable = { query: DataSource['query'] };

/** Running migrations (with an active task) from / to a host. */
export async function activeMigrationCounts(db: Queryable, hostId: string) {
  const { outgoing, incoming } = await admissionCounts(db, null, hostId, hostId);
  return { outgoing, incoming };
}

/** What admitting a migration checks, in one statement: whether the VM (if given) is already moving,
 * how many running migrations the source sends and how many the target receives. */
export async function admissionCounts(
  db: Queryable,
  vmId: string | null,
  sourceId: string,
  targetId: string,
) {
  const rows: { busy: string; outgoing: string; incoming: string }[] = await db.query(
    `SELECT count(*) FILTER (WHERE m.vm_id = $1) AS busy,
            count(*) FILTER (WHERE m.source_host_id = $2) AS outgoing,
            count(*) FILTER (WHERE m.target_host_id = $3) AS incoming
       FROM vm_migration m JOIN task t ON t.id = m.id
      WHERE m.status = 'running' AND t.status IN ('queued', 'running')`,
    [vmId, sourceId, targetId],
  );
  const r = rows[0];
  return {
    busy: Number(r?.busy ?? 0) > 0,
    outgoing: Number(r?.outgoing ?? 0),
    incoming: Number(r?.incoming ?? 0),
  };
}

/** Id of the VM's running migration, if any. */
export async function activeMigrationId(db: Queryable, vmId: string): Promise<string | undefined> {
  const rows: { id: string }[] = await db.query(
    `SELECT m.id FROM vm_migration m JOIN task t ON t.id = m.id
      WHERE m.vm_id = $1 AND m.status = 'running' AND t.status IN ('queued', 'running') LIMIT 1`,
    [vmId],
  );
  return rows[0]?.id;
}

export const vmRef = (vm: VmEntity): ObjectRef => ({ type: ObjectType.Vm, id: vm.id, name: vm.name });
export const hostRef = (h: HostEntity): ObjectRef => ({ type: ObjectType.Host, id: h.id, name: h.name });

/** How many snapshots Kelpie knows of the VM (libvirt refuses to migrate a domain that has any). */
export async function snapshotCount(db: Queryable, vmId: string): Promise<number> {
  const rows: { n: string }[] = await db.query('SELECT count(*) AS n FROM snapshot WHERE vm_id = $1', [vmId]);
  return Number(rows[0]?.n ?? 0);
}
