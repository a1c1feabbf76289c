import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { MacRange } from './mac-allocator';
import { MacPoolEntity } from './mac-pool.entity';

/** What NICs were given until pools existed: QEMU's prefix, any suffix. */
export const DEFAULT_MAC_RANGES: MacRange[] = [{ from: '52:54:00:00:00:00', to: '52:54:00:ff:ff:ff' }];

/** MAC pools (the NIC addresses inside them are the NICs' own: see PoolMacsPort). */
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
}
