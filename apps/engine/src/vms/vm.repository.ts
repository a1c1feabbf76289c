import { VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DeepPartial, EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { VmEntity } from './vm.entity';
import { VmRows, rowsReferringTo } from '../crud/child-rows.port';
import { linkOfRow, visibleRows, type AccessLink, type VmAccess } from '../auth/access-tree.port';

/** One listed domain, as compared with the stored VMs. */
export interface ListedDomain {
  id: string;
  status: string;
  reason: string | null;
  port: number | null;
  vcpus: number;
  memoryMib: number;
  maxMemoryMib: number;
}

export interface ListingDifference {
  id: string;
  kind: 'changed' | 'new';
}

/** The vm table as other features read it (the scheduler, VM operations), and its statements beyond
 * plain entity reads and writes (the agents' inventory sync compares host listings with the stored
 * VMs through them). */
@Injectable()
export class VmRepository implements VmRows, VmAccess {
  constructor(@InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>) {}

  /** The VM, its cluster and its datacenter, from its one row (VmAccess): never the host it runs on. */
  accessLink(id: string): Promise<AccessLink | null> {
    return linkOfRow(this.vms, id, 'vm', [
      ['cluster', 'clusterId'],
      ['datacenter', 'datacenterId'],
    ]);
  }

  /** Ids of its rows in `ids` or under clusters or datacenters (AccessTreeNode: `view` grants pushed down). */
  visibleUnder(ids: string[], under: { cluster: string[]; datacenter: string[] }): Promise<Set<string>> {
    return visibleRows(this.vms, ids, [
      ['clusterId', under.cluster],
      ['datacenterId', under.datacenter],
    ]);
  }

  /** The VM as a transaction sees it (e.g. a task's check once it holds its locks), or null. */
  inTransaction(em: EntityManager, id: string): Promise<VmEntity | null> {
    return em.findOneBy(VmEntity, { id });
  }

  byId(id: string): Promise<VmEntity | null> {
    return this.vms.findOneBy({ id });
  }

  /** The VM, or null (the lookup `findReferenced` takes, as the other owners name it). */
  find(id: string): Promise<VmEntity | null> {
    return this.byId(id);
  }

  /** The VMs defined on `hostIds` (every status), without `exceptVmId`: id, host and memory. */
  placedOn(hostIds: string[], exceptVmId?: string): Promise<Pick<VmEntity, 'id' | 'hostId' | 'memoryMib'>[]> {
    return this.vms.find({
      where: { hostId: In(hostIds), ...(exceptVmId ? { id: Not(exceptVmId) } : {}) },
      select: { id: true, hostId: true, memoryMib: true },
    });
  }

  /** The cluster's running VMs by name (what balancing may live-migrate). */
  runningIn(clusterId: string): Promise<VmEntity[]> {
    return this.vms.find({ where: { clusterId, status: VmStatus.Up }, order: { name: 'ASC' } });
  }

  /** The VMs whose CD-ROM holds the ISO at `path`, by name. */
  withCdrom(path: string): Promise<VmEntity[]> {
    return this.vms.find({ where: { cdromIsoPath: path }, order: { name: 'ASC' } });
  }

  /** The names of the VMs `ids`, by id. */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length
      ? await this.vms.find({ where: { id: In(ids) }, select: { id: true, name: true } })
      : [];
    return new Map(rows.map((v) => [v.id, v.name]));
  }

  async setDesiredStatus(id: string, desiredStatus: VmEntity['desiredStatus']): Promise<void> {
    await this.vms.update({ id }, { desiredStatus });
  }

  /** The changes that waited for a restart are in effect. */
  async clearPendingRestart(id: string): Promise<void> {
    await this.vms.update({ id }, { pendingRestart: null });
  }

  /** How it boots, and the ISO in its CD-ROM. */
  async setBoot(id: string, boot: VmEntity['boot'], cdromIsoPath: string | null): Promise<void> {
    await this.vms.update({ id }, { boot, cdromIsoPath });
  }

  async delete(id: string): Promise<void> {
    await this.vms.delete({ id });
  }

  async setCdrom(id: string, cdromIsoPath: string | null): Promise<void> {
    await this.vms.update({ id }, { cdromIsoPath });
  }

  /** Whether a VM of the datacenter is called `name`. */
  nameTaken(datacenterId: string, name: string): Promise<boolean> {
    return this.vms.existsBy({ datacenterId, name });
  }

  /** The VM is on no host any more (its definition there was undone). */
  async clearHost(id: string): Promise<void> {
    await this.vms.update({ id }, { hostId: null });
  }

  /**
   * Compares a host's listing with the stored VMs in one statement: `changed` for VMs the listing
   * would change (state, reason, console port, owner, hardware of external VMs) and VMs the host owns
   * that it no longer lists; `new` for listed domains with no VM. (Which VMs may be migrating is live
   * migration's to say: the caller asks it.)
   */
  listingDifferences(hostId: string, listed: ListedDomain[]): Promise<ListingDifference[]> {
    return this.vms.query(
      `WITH r AS (
         SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[])
           AS r(id, status, reason, port, vcpus, mem, max_mem)
       ), v AS (
         SELECT v.* FROM vm v WHERE v.host_id = $1 OR v.id = ANY($2::uuid[])
       )
       SELECT v.id, 'changed' AS kind FROM v LEFT JOIN r ON r.id = v.id
        WHERE r.id IS NULL OR v.host_id IS DISTINCT FROM $1
           OR v.status <> r.status OR v.status_reason IS DISTINCT FROM r.reason
           OR v.graphics_port IS DISTINCT FROM r.port
           OR (v.external AND (v.vcpus <> r.vcpus OR v.memory_mib <> r.mem OR v.max_memory_mib <> r.max_mem))
       UNION ALL
       SELECT r.id, 'new' FROM r WHERE NOT EXISTS (SELECT 1 FROM vm WHERE vm.id = r.id)`,
      [
        hostId,
        listed.map((d) => d.id),
        listed.map((d) => d.status),
        listed.map((d) => d.reason),
        listed.map((d) => d.port),
        listed.map((d) => d.vcpus),
        listed.map((d) => d.memoryMib),
        listed.map((d) => d.maxMemoryMib),
      ],
    );
  }

  /** Which of `names` VMs of the datacenter already use. */
  async takenNames(datacenterId: string, names: string[]): Promise<Set<string>> {
    const rows: { name: string }[] = await this.vms.query(
      `SELECT name FROM vm WHERE datacenter_id = $1 AND name = ANY($2::text[])`,
      [datacenterId, names],
    );
    return new Set(rows.map((r) => r.name));
  }

  /** The VMs `ids` that exist, by name. */
  byIdsByName(ids: string[]): Promise<VmEntity[]> {
    return this.vms.find({ where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  /** The VMs placed on the host (every status), by name. */
  onHost(hostId: string): Promise<VmEntity[]> {
    return this.vms.find({ where: { hostId }, order: { name: 'ASC' } });
  }

  /** Records a VM built elsewhere (a clone of another). */
  async insert(vm: QueryDeepPartialEntity<VmEntity>): Promise<void> {
    await this.vms.insert(vm);
  }

  /** The VM is defined on `hostId` now. */
  async setHost(id: string, hostId: string): Promise<void> {
    await this.vms.update({ id }, { hostId });
  }

  /** Makes the VM a template with `fields`, only while it is still in `status` and not a template
   * (a start racing with the request wins); whether it did. */
  async turnIntoTemplate(id: string, status: VmStatus, fields: Partial<VmEntity>): Promise<boolean> {
    const res = await this.vms
      .createQueryBuilder()
      .update()
      .set(fields)
      .where('id = :id AND status = :status AND is_template = false', { id, status })
      .execute();
    return !!res.affected;
  }

  /** It is a plain VM again, named and described as `before`. */
  async undoTemplate(id: string, before: Pick<VmEntity, 'name' | 'description'>): Promise<void> {
    await this.vms.update(id, { isTemplate: false, name: before.name, description: before.description });
  }

  /** Up to `take` of the VMs made from the template (by name), and how many there are. */
  madeFrom(templateId: string, take: number): Promise<[Pick<VmEntity, 'id' | 'name'>[], number]> {
    return this.vms.findAndCount({
      where: { sourceTemplateId: templateId },
      order: { name: 'ASC' },
      take,
      select: { id: true, name: true },
    });
  }

  /** The VMs `ids` that exist: name, host and cluster. */
  summariesOf(ids: string[]): Promise<Pick<VmEntity, 'id' | 'name' | 'hostId' | 'clusterId'>[]> {
    return this.vms.find({
      where: { id: In(ids) },
      select: { id: true, name: true, hostId: true, clusterId: true },
    });
  }

  /** Its rows whose `field` holds `parentId` (what blocks deleting that parent; see ChildRows). */
  readonly referringTo = rowsReferringTo(VmEntity);

  /** The VMs `ids` that exist. */
  byIds(ids: Iterable<string>): Promise<VmEntity[]> {
    return this.vms.findBy({ id: In([...new Set(ids)]) });
  }

  /** Writes the given fields as they are (callers announce the change themselves). */
  async update(id: string, fields: Partial<VmEntity>): Promise<void> {
    await this.vms.update({ id }, fields as never);
  }

  /** A new VM entity (not saved yet). */
  build(fields: DeepPartial<VmEntity>): VmEntity {
    return this.vms.create(fields);
  }

  /** Inserts `rows` in one statement, skipping any that conflicts with a row recorded meanwhile (same
   * id or name); returns the ids inserted. */
  async insertNew(rows: VmEntity[]): Promise<string[]> {
    const inserted = await this.vms
      .createQueryBuilder()
      .insert()
      .values(rows)
      .orIgnore()
      .returning('id')
      .execute();
    return (inserted.raw as { id: string }[]).map((r) => r.id);
  }

  /** The VM and the host it runs on, in one query. */
  withHost(id: string): Promise<VmEntity | null> {
    return this.vms.findOne({ where: { id }, relations: { host: true } });
  }

  exists(id: string): Promise<boolean> {
    return this.vms.existsBy({ id });
  }

  /** VMs placed on a host (whatever their status), by name (the fleet gauges). */
  placedByName(): Promise<Pick<VmEntity, 'id' | 'name' | 'hostId' | 'status'>[]> {
    return this.vms.find({
      select: { id: true, name: true, hostId: true, status: true },
      where: { hostId: Not(IsNull()) },
      order: { name: 'ASC' },
    });
  }

  /** VM counts per host ('' for VMs on no host) and status, in one grouped statement. */
  async countsByHostAndStatus(): Promise<{ key: string; status: string; count: number }[]> {
    const rows: { key: string | null; status: string; count: string }[] = await this.vms.query(
      `SELECT host_id AS key, status, count(*) AS count FROM vm GROUP BY host_id, status`,
    );
    return rows.map((r) => ({ key: r.key ?? '', status: r.status, count: Number(r.count) }));
  }
}
