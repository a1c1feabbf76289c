import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ActiveImages } from '../disks/active-images';
import { SnapshotEntity } from './snapshot.entity';
import type { AccessLink, SnapshotAccess } from '../auth/access-tree.port';

/** The snapshot records as taking, reverting and deleting snapshots (vm-snapshots) read and write
 * them, with the disks' active images those change. */
@Injectable()
export class SnapshotRepository implements SnapshotAccess {
  constructor(@InjectRepository(SnapshotEntity) private readonly snapshots: Repository<SnapshotEntity>) {}

  /** A snapshot inherits from its VM (SnapshotAccess). */
  async accessLink(id: string): Promise<AccessLink | null> {
    const s = await this.snapshots.findOne({ select: { id: true, vmId: true }, where: { id } });
    return s && { refs: [], up: { type: 'vm', id: s.vmId } };
  }

  /** The VM's snapshots, oldest first. */
  ofVm(vmId: string): Promise<SnapshotEntity[]> {
    return this.snapshots.find({ where: { vmId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The VM's snapshot `id`, or null when it is not that VM's. */
  ofVmById(vmId: string, id: string): Promise<SnapshotEntity | null> {
    return this.snapshots.findOneBy({ id, vmId });
  }

  /** The snapshot, or null. */
  find(id: string): Promise<SnapshotEntity | null> {
    return this.snapshots.findOneBy({ id });
  }

  /** The snapshot, or TypeORM's not-found error (callers just recorded it). */
  byId(id: string): Promise<SnapshotEntity> {
    return this.snapshots.findOneByOrFail({ id });
  }

  /** Whether snapshot `id` is recorded (of the VM `vmId` when given). */
  exists(id: string, vmId?: string): Promise<boolean> {
    return this.snapshots.existsBy(vmId ? { id, vmId } : { id });
  }

  /** Whether a snapshot of the VM is called `name`. */
  nameTaken(vmId: string, name: string): Promise<boolean> {
    return this.snapshots.existsBy({ vmId, name });
  }

  countOf(vmId: string): Promise<number> {
    return this.snapshots.countBy({ vmId });
  }

  async insert(snapshot: QueryDeepPartialEntity<SnapshotEntity>): Promise<void> {
    await this.snapshots.insert(snapshot);
  }

  /** The images the VM's disks write to, as snapshots change them. */
  activeImages(): ActiveImages {
    return new ActiveImages(this.snapshots.manager);
  }

  /** The snapshot is gone on the host, in one transaction: the disks write to what its overlays were
   * merged into, its children move up to its parent (as libvirt re-parents them), its record goes. */
  async forgetMerged(
    snap: Pick<SnapshotEntity, 'id' | 'parentId'>,
    vmId: string,
    merged: Array<{ target: string; overlay: string; into: string }>,
  ): Promise<void> {
    await this.snapshots.manager.transaction(async (tx) => {
      await new ActiveImages(tx).merged(vmId, merged);
      await tx.update(SnapshotEntity, { parentId: snap.id }, { parentId: snap.parentId });
      await tx.delete(SnapshotEntity, { id: snap.id });
    });
  }
}
