import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, Repository } from 'typeorm';
import { MacRange } from './mac-allocator';
import { MacPoolEntity } from './mac-pool.entity';

/** What NICs were given until pools existed: QEMU's prefix, any suffix. */
export const DEFAULT_MAC_RANGES: MacRange[] = [{ from: '52:54:00:00:00:00', to: '52:54:00:ff:ff:ff' }];

/** MAC pools and the NIC addresses inside them (NICs read by table: nics import this folder). */
@Injectable()
export class MacPoolsRepository {
  constructor(@InjectRepository(MacPoolEntity) private readonly repo: Repository<MacPoolEntity>) {}

  /** The datacenter's pool; a datacenter made after pools existed gets the default one on first use. */
  async forDatacenter(datacenterId: string): Promise<MacPoolEntity> {
    const found = await this.repo.findOneBy({ datacenterId });
    if (found) return found;
    await this.repo
      .createQueryBuilder()
      .insert()
      .values({ id: randomUUID(), datacenterId, name: 'default', ranges: DEFAULT_MAC_RANGES })
      .orIgnore()
      .execute();
    return this.repo.findOneByOrFail({ datacenterId });
  }

  async save(datacenterId: string, name: string | undefined, ranges: MacRange[]): Promise<MacPoolEntity> {
    const pool = await this.forDatacenter(datacenterId);
    await this.repo.update({ id: pool.id }, { ranges, ...(name !== undefined ? { name } : {}) });
    return this.repo.findOneByOrFail({ id: pool.id });
  }

  /** MACs of NICs (of any datacenter: a MAC is unique everywhere) inside the ranges. */
  async usedIn(ranges: MacRange[]): Promise<Set<string>> {
    if (!ranges.length) return new Set();
    const qb = this.repo.manager.createQueryBuilder().select('n.mac', 'mac').from('nic', 'n');
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
