import type { VmNicSpec } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DeepPartial, EntityManager, Repository } from 'typeorm';
import { NicRows, rowsReferringTo } from '../crud/child-rows.port';
import type { NicOfProfile, ProfileNicsPort } from '../networks/profile-nics.port';
import type { MacRange } from '../mac-pools/mac-allocator';
import type { PoolMacsPort } from '../mac-pools/pool-macs.port';
import { NicEntity } from './nic.entity';
import type { AccessLink, NicAccess } from '../auth/access-tree.port';

/** The NIC table as other features read it (the scheduler, provisioning, hot-plug). */
@Injectable()
export class NicRepository implements NicRows, ProfileNicsPort, PoolMacsPort, NicAccess {
  constructor(@InjectRepository(NicEntity) private readonly nics: Repository<NicEntity>) {}

  /** A NIC inherits from its VM (NicAccess). */
  async accessLink(id: string): Promise<AccessLink | null> {
    const n = await this.nics.findOne({ select: { id: true, vmId: true }, where: { id } });
    return n && { refs: [], up: { type: 'vm', id: n.vmId } };
  }

  byId(id: string): Promise<NicEntity | null> {
    return this.nics.findOneBy({ id });
  }

  ofVm(vmId: string): Promise<NicEntity[]> {
    return this.nics.findBy({ vmId });
  }

  /** The VM's NICs by name, with the spec their definition was made from. */
  ofVmByName(vmId: string): Promise<NicEntity[]> {
    return this.withDefinedSpec().where('n.vmId = :vmId', { vmId }).orderBy('n.name', 'ASC').getMany();
  }

  /** The VM's NIC `id` with the spec its definition was made from, or null when it is not that VM's. */
  ofVmById(vmId: string, id: string): Promise<NicEntity | null> {
    return this.withDefinedSpec().where('n.id = :id AND n.vmId = :vmId', { id, vmId }).getOne();
  }

  /** What the host's definition of the NIC is now made from (see `NicEntity.definedSpec`). */
  async recordDefinedSpec(nicId: string, spec: VmNicSpec | null): Promise<void> {
    await this.nics.update({ id: nicId }, { definedSpec: spec });
  }

  private withDefinedSpec() {
    return this.nics.createQueryBuilder('n').addSelect('n.definedSpec');
  }

  /** The VM's NICs by name, as the API shows them (without the spec their definition was made from). */
  ofVmInNameOrder(vmId: string): Promise<NicEntity[]> {
    return this.nics.find({ where: { vmId }, order: { name: 'ASC' } });
  }

  /** A new NIC entity (not saved yet). */
  build(fields: DeepPartial<NicEntity>): NicEntity {
    return this.nics.create(fields);
  }

  async insert(nic: NicEntity): Promise<void> {
    await this.nics.insert(nic);
  }

  /** Removes the VM's NIC records. */
  async deleteOfVm(vmId: string): Promise<void> {
    await this.nics.delete({ vmId });
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  readonly referringTo = rowsReferringTo(NicEntity);

  usingProfile(tx: EntityManager, profileId: string): Promise<NicOfProfile[]> {
    return tx.find(NicEntity, { where: { profileId }, relations: { vm: true }, order: { name: 'ASC' } });
  }

  /** MACs of NICs (of any datacenter: a MAC is unique everywhere) inside the ranges. */
  async macsIn(ranges: MacRange[]): Promise<Set<string>> {
    if (!ranges.length) return new Set();
    const qb = this.nics.createQueryBuilder('n').select('n.mac', 'mac');
    qb.where(
      new Brackets((w) =>
        ranges.forEach((r, i) =>
          w.orWhere(`n.mac BETWEEN :from${i} AND :to${i}`, { [`from${i}`]: r.from, [`to${i}`]: r.to }),
        ),
      ),
    );
    return new Set((await qb.getRawMany<{ mac: string }>()).map((row) => row.mac));
  }
}
