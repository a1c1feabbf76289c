import { ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { conflict, notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ChangeNotifier, refOf } from '../crud/inventory.service';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { DataCenterRepository } from '../datacenters/datacenter.repository';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { MacRange, pickMac, poolSize, rangeProblems } from './mac-allocator';
import { UpdateMacPoolDto } from './mac-pool.dto';
import { MacPoolEntity } from './mac-pool.entity';
import { MacPoolsRepository } from './mac-pools.repository';
import { PoolMacsPort } from './pool-macs.port';

/** A datacenter's MAC pool: its ranges, and free addresses drawn from them for new NICs. */
@Injectable()
export class MacPoolsService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly pools: MacPoolsRepository,
    private readonly datacenters: DataCenterRepository,
    events: EventsService,
    stream: StreamService,
    private readonly moduleRef: ModuleRef,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** The MACs NICs hold inside the ranges, asked of the NICs (see PoolMacsPort). */
  private usedIn(ranges: MacRange[]): Promise<Set<string>> {
    return this.moduleRef.get(PoolMacsPort, { strict: false }).macsIn(ranges);
  }

  async get(datacenterId: string): Promise<{ pool: MacPoolEntity; used: number }> {
    await this.datacenter(datacenterId);
    const pool = await this.pools.forDatacenter(datacenterId);
    return { pool, used: (await this.usedIn(pool.ranges)).size };
  }

  async update(
    datacenterId: string,
    dto: UpdateMacPoolDto,
    meta: RequestMeta,
  ): Promise<{ pool: MacPoolEntity; used: number }> {
    const dc = await this.datacenter(datacenterId);
    const ranges = dto.ranges.map((r) => ({ from: r.from, to: r.to }));
    const problems = rangeProblems(ranges);
    if (problems.length) throw validationFailed('invalid MAC ranges', problems);
    const pool = await this.pools.save(datacenterId, dto.name, ranges);
    await this.notify.updated(ObjectType.DataCenter, dc, ['macPool'], meta);
    return { pool, used: (await this.usedIn(pool.ranges)).size };
  }

  /** A MAC of the datacenter's pool no NIC has; 409 naming the pool when none is left. */
  async allocate(datacenterId: string): Promise<string> {
    const pool = await this.pools.forDatacenter(datacenterId);
    const mac = pickMac(pool.ranges, await this.usedIn(pool.ranges));
    if (mac) return mac;
    const dc = await this.datacenter(datacenterId);
    throw conflict(
      `MAC pool ${pool.name} of datacenter ${dc.name} is exhausted: all ${poolSize(pool.ranges)} addresses are in use`,
      [{ field: 'mac', reason: `pool ${pool.name} exhausted`, ref: refOf(ObjectType.DataCenter, dc) }],
    );
  }

  private async datacenter(id: string): Promise<DataCenterEntity> {
    const dc = await this.datacenters.find(id);
    if (!dc) throw notFound(ObjectType.DataCenter, id);
    return dc;
  }
}
