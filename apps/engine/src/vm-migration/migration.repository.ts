import {
  MigrationProgress,
  MigrationStatus,
  ObjectRef,
  ObjectType,
  StorageDomainType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { takeTransactionAdvisoryLock } from '../common/advisory-lock';
import type { HostEntity } from '../hosts/host.entity';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { DiskEntity } from '../disks/disk.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import type { VmEntity } from '../vms/vm.entity';

/** "kmig": serialises migration admission (slot counts + the new row) across engines. */
const ADMISSION_LOCK = 0x6b6d6967n;

/** A migration row counts as running while its task is not over (a row whose task ended without it
 * is closed by closeStaleRows). */
const RUNNING = `m.status = 'running' AND t.status IN ('queued', 'running')`;

/** The SQL of live migration: admission counts under their lock, progress samples, stale rows. */
@Injectable()
export class MigrationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside an admission transaction: waits until no other engine admits a migration. */
  lockAdmission(em: EntityManager): Promise<void> {
    return takeTransactionAdvisoryLock(em, ADMISSION_LOCK);
  }

  /** What admitting a migration checks, in one statement: whether the VM (if given) is already
   * moving, how many running migrations the source sends and how many the target receives. */
  async admissionCounts(
    vmId: string | null,
    sourceId: string,
    targetId: string,
    em: EntityManager = this.db.manager,
  ): Promise<{ busy: boolean; outgoing: number; incoming: number }> {
    const rows: { busy: string; outgoing: string; incoming: string }[] = await em.query(
      `SELECT count(*) FILTER (WHERE m.vm_id = $1) AS busy,
              count(*) FILTER (WHERE m.source_host_id = $2) AS outgoing,
              count(*) FILTER (WHERE m.target_host_id = $3) AS incoming
         FROM vm_migration m JOIN task t ON t.id = m.id
        WHERE ${RUNNING}`,
      [vmId, sourceId, targetId],
    );
    const r = rows[0];
    return {
      busy: Number(r?.busy ?? 0) > 0,
      outgoing: Number(r?.outgoing ?? 0),
      incoming: Number(r?.incoming ?? 0),
    };
  }

  /** Running migrations (with an active task) from / to a host. */
  async activeCounts(hostId: string): Promise<{ outgoing: number; incoming: number }> {
    const { outgoing, incoming } = await this.admissionCounts(null, hostId, hostId);
    return { outgoing, incoming };
  }

  /** Id of the VM's running migration, if any. */
  async activeIdOf(vmId: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT m.id FROM vm_migration m JOIN task t ON t.id = m.id WHERE m.vm_id = $1 AND ${RUNNING} LIMIT 1`,
      [vmId],
    );
    return rows[0]?.id;
  }

  /** How many snapshots Kelpie knows of the VM (libvirt refuses to migrate a domain that has any). */
  snapshotCountOf(vmId: string): Promise<number> {
    return this.db.manager.countBy(SnapshotEntity, { vmId });
  }

  /** The VM's disks that live on host-local storage domains: each host has its own volume at the same
   * path, so a migration that leaves the disks where they are would open another host's file. */
  async hostLocalDisksOf(vmId: string): Promise<{ targetDev: string; domainName: string }[]> {
    const rows: { targetDev: string; domainName: string }[] = await this.db.manager
      .createQueryBuilder(DiskEntity, 'd')
      .innerJoin(StorageDomainEntity, 'sd', 'sd.id = d.storageDomainId')
      .select('d.targetDev', 'targetDev')
      .addSelect('sd.name', 'domainName')
      .where('d.vmId = :vmId', { vmId })
      .andWhere('sd.type = :type', { type: StorageDomainType.Local })
      .orderBy('d.targetDev')
      .getRawMany();
    return rows;
  }

  /** Stores the latest progress sample of a running migration (a finished row keeps its last one). */
  async recordProgress(id: string, progress: MigrationProgress): Promise<void> {
    await this.db.query(
      `UPDATE vm_migration SET progress = $2, progress_samples = progress_samples + 1 WHERE id = $1 AND status = 'running'`,
      [id, JSON.stringify(progress)],
    );
  }

  /** Rows still `running` whose task is over (its engine stopped before adoption could settle it). */
  async closeStaleRows(): Promise<void> {
    await this.db.query(
      `UPDATE vm_migration m SET status = 'failed', finished_at = now(),
          error = COALESCE(m.error, 'the engine running this migration stopped; check where the VM runs')
        FROM task t WHERE t.id = m.id AND m.status = 'running' AND t.status NOT IN ('queued', 'running')`,
    );
  }

  /** Deletes up to `batch` finished migration rows (never a running one) that ended before `cutoff`
   * (rows another engine is deleting are skipped); returns how many. */
  async deleteFinished(cutoff: Date, batch: number): Promise<number> {
    const [, deleted] = (await this.db.query(
      `DELETE FROM vm_migration WHERE id IN (
         SELECT id FROM vm_migration WHERE status <> $3 AND finished_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batch, MigrationStatus.Running],
    )) as [unknown, number];
    return deleted;
  }
}

export const vmRef = (vm: VmEntity): ObjectRef => ({ type: ObjectType.Vm, id: vm.id, name: vm.name });
export const hostRef = (h: HostEntity): ObjectRef => ({ type: ObjectType.Host, id: h.id, name: h.name });
