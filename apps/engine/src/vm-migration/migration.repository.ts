import {
  MigrationProgress,
  MigrationStatus,
  ObjectRef,
  ObjectType,
  StorageDomainType,
  TaskStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { takeTransactionAdvisoryLock } from '../common/advisory-lock';
import type { HostEntity } from '../hosts/host.entity';
import { SnapshotRepository } from '../snapshots/snapshot.repository';
import { DiskRepository } from '../disks/disk.repository';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { TaskRepository } from '../tasks/task.repository';
import type { VmEntity } from '../vms/vm.entity';
import type { AccessLink, MigrationAccess } from '../auth/access-tree.port';
import type {
  ActiveMigration,
  MigrationFactsPort,
  OwnershipFacts,
} from '../vm-ownership/migration-facts.port';

/** "kmig": serialises migration admission (slot counts + the new row) across engines. */
const ADMISSION_LOCK = 0x6b6d6967n;
const ACTIVE_TASK: string[] = [TaskStatus.Queued, TaskStatus.Running];

/** The SQL of live migration: admission counts under their lock, progress samples, stale rows, and
 * the ownership facts agents' reports record (it provides MigrationFactsPort). */
@Injectable()
export class MigrationRepository implements MigrationFactsPort, MigrationAccess {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly snapshots: SnapshotRepository,
    private readonly disks: DiskRepository,
    private readonly sds: StorageDomainRepository,
    private readonly tasks: TaskRepository,
  ) {}

  /** A migration inherits from its VM (MigrationAccess). */
  async accessLink(id: string): Promise<AccessLink | null> {
    const rows: { vm_id: string }[] = await this.db.query(`SELECT vm_id FROM vm_migration WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? { refs: [], up: { type: 'vm', id: rows[0].vm_id } } : null;
  }

  /** Inside an admission transaction: waits until no other engine admits a migration. */
  lockAdmission(em: EntityManager): Promise<void> {
    return takeTransactionAdvisoryLock(em, ADMISSION_LOCK);
  }

  /** The `running` rows whose task is not over, newest first (the task is asked of its owner; a row
   * whose task ended without it is closed by closeStaleRows). `where` narrows the rows. */
  private async running(
    em: EntityManager,
    where: string,
    params: unknown[],
  ): Promise<{ id: string; vm_id: string; source_host_id: string; target_host_id: string }[]> {
    const rows: { id: string; vm_id: string; source_host_id: string; target_host_id: string }[] =
      await em.query(
        `SELECT id, vm_id, source_host_id, target_host_id FROM vm_migration WHERE status = 'running' AND (${where})
          ORDER BY created_at DESC`,
        params,
      );
    const active = await this.tasks.activeAmong(
      rows.map((r) => r.id),
      em,
    );
    return rows.filter((r) => active.has(r.id));
  }

  /** What admitting a migration checks: whether the VM (if given) is already moving, how many
   * running migrations the source sends and how many the target receives. */
  async admissionCounts(
    vmId: string | null,
    sourceId: string,
    targetId: string,
    em: EntityManager = this.db.manager,
  ): Promise<{ busy: boolean; outgoing: number; incoming: number }> {
    const rows = await this.running(em, 'vm_id = $1 OR source_host_id = $2 OR target_host_id = $3', [
      vmId,
      sourceId,
      targetId,
    ]);
    return {
      busy: vmId !== null && rows.some((r) => r.vm_id === vmId),
      outgoing: rows.filter((r) => r.source_host_id === sourceId).length,
      incoming: rows.filter((r) => r.target_host_id === targetId).length,
    };
  }

  /** Running migrations (with an active task) from / to a host. */
  async activeCounts(hostId: string): Promise<{ outgoing: number; incoming: number }> {
    const { outgoing, incoming } = await this.admissionCounts(null, hostId, hostId);
    return { outgoing, incoming };
  }

  /** Id of the VM's running migration, if any. */
  async activeIdOf(vmId: string): Promise<string | undefined> {
    return (await this.running(this.db.manager, 'vm_id = $1', [vmId]))[0]?.id;
  }

  /** The VM's newest running migration whose task is still active, if any. */
  async activeOf(vmId: string): Promise<ActiveMigration | undefined> {
    const m = (await this.running(this.db.manager, 'vm_id = $1', [vmId]))[0];
    return m && { id: m.id, source_host_id: m.source_host_id, target_host_id: m.target_host_id };
  }

  /** Records `fact` now unless already recorded; returns both facts as they stand. */
  async recordFact(
    id: string,
    fact: 'target_running_at' | 'source_gone_at',
  ): Promise<OwnershipFacts | undefined> {
    const res: unknown = await this.db.query(
      fact === 'target_running_at'
        ? `UPDATE vm_migration SET target_running_at = COALESCE(target_running_at, now()) WHERE id = $1
            RETURNING target_running_at, source_gone_at`
        : `UPDATE vm_migration SET source_gone_at = COALESCE(source_gone_at, now()) WHERE id = $1
            RETURNING target_running_at, source_gone_at`,
      [id],
    );
    const rows = (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as OwnershipFacts[];
    return rows[0];
  }

  /** The VMs with a `running` migration row, whatever its task (a superset of those migrating). */
  async runningVmIds(): Promise<Set<string>> {
    const rows: { vm_id: string }[] = await this.db.query(
      `SELECT DISTINCT vm_id FROM vm_migration WHERE status = 'running'`,
    );
    return new Set(rows.map((r) => r.vm_id));
  }

  /** Of these VMs, the ones with a migration started after `since` (balancing leaves them alone). */
  async movedSince(vmIds: string[], since: Date): Promise<Set<string>> {
    if (!vmIds.length) return new Set();
    const rows: { vm_id: string }[] = await this.db.query(
      `SELECT DISTINCT vm_id FROM vm_migration WHERE vm_id = ANY($1::uuid[]) AND created_at > $2`,
      [vmIds, since],
    );
    return new Set(rows.map((r) => r.vm_id));
  }

  /** How many of these VMs have a migration task not over yet (a balancing batch still under way,
   * including the confirmation of the new owner after libvirt finished), whatever the row's status. */
  async runningAmong(vmIds: string[]): Promise<number> {
    if (!vmIds.length) return 0;
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM vm_migration WHERE vm_id = ANY($1::uuid[])`,
      [vmIds],
    );
    return (await this.tasks.activeAmong(rows.map((r) => r.id))).size;
  }

  /** How many snapshots Kelpie knows of the VM (libvirt refuses to migrate a domain that has any). */
  snapshotCountOf(vmId: string): Promise<number> {
    return this.snapshots.countOf(vmId);
  }

  /** The VM's disks that live on host-local storage domains: each host has its own volume at the same
   * path, so a migration that leaves the disks where they are would open another host's file. */
  async hostLocalDisksOf(vmId: string): Promise<{ targetDev: string; domainName: string }[]> {
    const disks = await this.disks.ofVm(vmId, true);
    const domainIds = disks.flatMap((d) => (d.storageDomainId ? [d.storageDomainId] : []));
    const local = new Map(
      (domainIds.length ? await this.sds.byIds(domainIds) : [])
        .filter((sd) => sd.type === StorageDomainType.Local)
        .map((sd) => [sd.id, sd.name]),
    );
    return disks.flatMap((d) => {
      const domainName = d.storageDomainId ? local.get(d.storageDomainId) : undefined;
      return domainName === undefined || !d.targetDev ? [] : [{ targetDev: d.targetDev, domainName }];
    });
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
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM vm_migration WHERE status = 'running'`,
    );
    if (!rows.length) return;
    const statuses = await this.tasks.statusesOf(rows.map((r) => r.id));
    const over = [...statuses].flatMap(([id, status]) => (ACTIVE_TASK.includes(status) ? [] : [id]));
    if (!over.length) return;
    await this.db.query(
      `UPDATE vm_migration m SET status = 'failed', finished_at = now(),
          error = COALESCE(m.error, 'the engine running this migration stopped; check where the VM runs')
        WHERE m.id = ANY($1::uuid[]) AND m.status = 'running'`,
      [over],
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
