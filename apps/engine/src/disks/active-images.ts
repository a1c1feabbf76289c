import type { EntityManager } from 'typeorm';
import { DiskEntity } from './disk.entity';

/**
 * Which image each disk of a VM writes to (DiskEntity.activeImagePath), kept in step with external
 * snapshots: the database, not only the domain XML, must know the overlay, or a domain that
 * disappears is defined again on the base volume without what was written since the snapshot.
 */
export class ActiveImages {
  constructor(private readonly db: EntityManager) {}

  /** An external snapshot put these overlays (by target device) on the VM's disks. */
  async overlaid(vmId: string, overlays: Array<{ target: string; path: string }>): Promise<void> {
    for (const o of overlays) await this.set(vmId, o.target, () => o.path);
  }

  /** Overlays merged into their backing image: a disk that wrote to one now writes to what it was
   * merged into (its own volume: no overlay left). A merged mid-chain overlay changes nothing. */
  async merged(
    vmId: string,
    merges: Array<{ target: string; overlay: string; into: string }>,
  ): Promise<void> {
    for (const m of merges)
      await this.set(vmId, m.target, (d) => (d.activeImagePath === m.overlay ? m.into : d.activeImagePath));
  }

  /** What the host's domain opens (`vm.storage.info`), for when the merges are not known (an adopted
   * delete whose first run's result is gone). */
  async asOnHost(vmId: string, disks: Array<{ target: string; device: string; path: string | null }>) {
    for (const d of disks) if (d.device === 'disk' && d.path) await this.set(vmId, d.target, () => d.path);
  }

  private async set(vmId: string, targetDev: string, next: (d: DiskEntity) => string | null): Promise<void> {
    const disk = await this.db.findOneBy(DiskEntity, { vmId, targetDev });
    if (!disk) return;
    const path = next(disk);
    const activeImagePath = path && path !== disk.volumePath ? path : null;
    if (activeImagePath !== disk.activeImagePath)
      await this.db.update(DiskEntity, { id: disk.id }, { activeImagePath });
  }
}
