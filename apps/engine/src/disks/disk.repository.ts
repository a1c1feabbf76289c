import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DeepPartial, EntityManager, IsNull, Not, QueryFailedError, Repository } from 'typeorm';
import { DiskRows, referringRows } from '../crud/child-rows.port';
import type { Named } from '../crud/inventory.service';
import { DISK_VOLUME_UNIQUE, DiskEntity } from './disk.entity';
import type { AccessLink, DiskAccess } from '../auth/access-tree.port';

/** The disk table as other features read and update it (the scheduler, provisioning, hot-plug). */
@Injectable()
export class DiskRepository implements DiskRows, DiskAccess {
  constructor(@InjectRepository(DiskEntity) private readonly disks: Repository<DiskEntity>) {}

  /** A disk inherits from its VM, a floating one from its storage domain (DiskAccess). */
  async accessLink(id: string): Promise<AccessLink | null> {
    const d = await this.disks.findOne({
      select: { id: true, vmId: true, storageDomainId: true },
      where: { id },
    });
    if (!d) return null;
    return {
      refs: [],
      up: d.vmId ? { type: 'vm', id: d.vmId } : { type: 'storage_domain', id: d.storageDomainId },
    };
  }

  /** The VM's disks, by target device when `byTarget` (the order they are defined in). */
  ofVm(vmId: string, byTarget = false): Promise<DiskEntity[]> {
    return byTarget
      ? this.disks.find({ where: { vmId }, order: { targetDev: 'ASC' } })
      : this.disks.findBy({ vmId });
  }

  /** The VM's disk `id`, or null when it is not that VM's. */
  ofVmById(vmId: string, id: string): Promise<DiskEntity | null> {
    return this.disks.findOneBy({ id, vmId });
  }

  /** A new disk entity (not saved yet). */
  build(fields: DeepPartial<DiskEntity>): DiskEntity {
    return this.disks.create(fields);
  }

  async insert(disk: DiskEntity): Promise<void> {
    await this.disks.insert(disk);
  }

  async delete(id: string): Promise<void> {
    await this.disks.delete({ id });
  }

  /** Removes the VM's disk records (not their volumes). */
  async deleteOfVm(vmId: string): Promise<void> {
    await this.disks.delete({ vmId });
  }

  /** It stays as a floating disk, attached to no VM. */
  async detach(id: string): Promise<void> {
    await this.disks.update({ id }, { vmId: null, targetDev: null });
  }

  /** The domain's provisioned disks: id and volume path (which LUNs are taken). */
  provisionedOn(storageDomainId: string): Promise<Pick<DiskEntity, 'id' | 'volumePath'>[]> {
    return this.disks.find({
      where: { storageDomainId, provisionedAt: Not(IsNull()) },
      select: { id: true, volumePath: true },
    });
  }

  /** Its volume now exists on the host (a LUN: it also takes the LUN's size). */
  async provisioned(
    id: string,
    volume: Pick<DiskEntity, 'volumePath' | 'allocationBytes' | 'provisionedAt'> &
      Partial<Pick<DiskEntity, 'virtualSizeBytes'>>,
  ): Promise<void> {
    await this.disks.update({ id }, volume);
  }

  /** The disk takes the LUN at `volume.volumePath`; false when another disk of the domain holds it
   * already. The unique (storage domain, volume path) constraint decides, so two provisionings
   * racing for one LUN (engines or tasks side by side) can never both get it. */
  async takeLun(
    id: string,
    volume: Pick<DiskEntity, 'volumePath' | 'virtualSizeBytes' | 'allocationBytes' | 'provisionedAt'>,
  ): Promise<boolean> {
    try {
      await this.disks.update({ id }, volume);
      return true;
    } catch (e) {
      const pg =
        e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : {};
      if (pg.code === '23505' && pg.constraint === DISK_VOLUME_UNIQUE) return false;
      throw e;
    }
  }

  /** Its volume was removed again: the disk holds nothing yet (a LUN disk gives its LUN back: its
   * path goes back to the placeholder it had, `volumePath`). */
  async unprovisioned(id: string, volumePath?: string): Promise<void> {
    await this.disks.update({ id }, { provisionedAt: null, ...(volumePath ? { volumePath } : {}) });
  }

  /** The disk, or null. */
  find(id: string): Promise<DiskEntity | null> {
    return this.disks.findOneBy({ id });
  }

  /** The VM's disks by name. */
  ofVmByName(vmId: string): Promise<DiskEntity[]> {
    return this.disks.find({ where: { vmId }, order: { name: 'ASC' } });
  }

  /** Its volume is at `volumePath` (a disk attached to a running VM: libvirt showed it there). */
  async atPath(id: string, volumePath: string, provisionedAt: Date): Promise<void> {
    await this.disks.update({ id }, { volumePath, provisionedAt });
  }

  /** The domain's disks. */
  onDomain(storageDomainId: string): Promise<DiskEntity[]> {
    return this.disks.findBy({ storageDomainId });
  }

  /** The size its volume turned out to have. */
  async setVirtualSize(id: string, virtualSizeBytes: DiskEntity['virtualSizeBytes']): Promise<void> {
    await this.disks.update({ id }, { virtualSizeBytes });
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  referringTo(tx: EntityManager, field: string, parentId: string, take: number): Promise<[Named[], number]> {
    return referringRows(tx, DiskEntity, field, parentId, take);
  }

  /** Disks whose id or volume path is among those listed (a host's directory listing). */
  idsOrPathsAmong(
    ids: string[],
    paths: string[],
  ): Promise<{ id: string; volume_path: string | null; active_image_path: string | null }[]> {
    // A disk's active image (an external snapshot's overlay) is as much in use as its volume.
    return this.disks.query(
      `SELECT id::text, volume_path, active_image_path FROM disk
        WHERE id = ANY($1::uuid[]) OR volume_path = ANY($2::text[]) OR active_image_path = ANY($2::text[])`,
      [ids, paths],
    );
  }
}
