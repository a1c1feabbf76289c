import { AffinityGroup, AffinityViolation, ObjectType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterRepository } from '../clusters/cluster.repository';
import { notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { EventsService } from '../events/events.service';
import { HostRepository } from '../hosts/host.repository';
import { VmRepository } from '../vms/vm.repository';
import { AffinityGroupEntity, AffinityGroupHostEntity, AffinityGroupVmEntity } from './affinity-group.entity';
import { CreateAffinityGroupDto, UpdateAffinityGroupDto } from './affinity-group.dto';
import { affinityViolations } from './affinity-violations';

/** Affinity groups of a cluster: their members must be VMs of that cluster. */
@Injectable()
export class AffinityGroupsService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(AffinityGroupEntity) private readonly groups: Repository<AffinityGroupEntity>,
    @InjectRepository(AffinityGroupVmEntity) private readonly members: Repository<AffinityGroupVmEntity>,
    @InjectRepository(AffinityGroupHostEntity)
    private readonly groupHosts: Repository<AffinityGroupHostEntity>,
    private readonly clusters: ClusterRepository,
    private readonly vms: VmRepository,
    private readonly hosts: HostRepository,
    private readonly events: EventsService,
  ) {}

  async list(clusterId: string): Promise<AffinityGroup[]> {
    await this.clusterOf(clusterId);
    const groups = await this.groups.find({ where: { clusterId }, order: { name: 'ASC' } });
    return this.withMembers(groups);
  }

  /** Each member breaking its group where it is defined now (enforcing groups too: a rule created
   * after the VMs were placed is enforced from the next placement on). */
  async violations(clusterId: string): Promise<AffinityViolation[]> {
    const groups = await this.list(clusterId);
    const ids = [...new Set(groups.flatMap((g) => g.vmIds))];
    const vms = ids.length ? await this.vms.summariesOf(ids) : [];
    const hosts = await this.hosts.inCluster(clusterId);
    return affinityViolations(
      groups,
      new Map(vms.map((v) => [v.id, v])),
      new Map(hosts.map((h) => [h.id, h.name])),
    );
  }

  async get(clusterId: string, id: string): Promise<AffinityGroup> {
    return (await this.withMembers([await this.groupOf(clusterId, id)]))[0];
  }

  async create(clusterId: string, dto: CreateAffinityGroupDto, meta: RequestMeta): Promise<AffinityGroup> {
    await this.clusterOf(clusterId);
    // Members are optional: an empty group is created now and filled later (PATCH vmIds / hostIds).
    const vmIds = await this.checkedMembers(clusterId, dto.vmIds ?? []);
    const hostIds = await this.checkedHosts(clusterId, dto.hostIds ?? []);
    const id = randomUUID();
    await this.db.transaction(async (m) => {
      await m.insert(AffinityGroupEntity, {
        id,
        clusterId,
        name: dto.name,
        description: dto.description ?? '',
        polarity: dto.polarity,
        enforcing: dto.enforcing,
      });
      if (vmIds.length)
        await m.insert(
          AffinityGroupVmEntity,
          vmIds.map((vmId) => ({ groupId: id, vmId })),
        );
      if (hostIds.length)
        await m.insert(
          AffinityGroupHostEntity,
          hostIds.map((hostId) => ({ groupId: id, hostId })),
        );
    });
    const group = await this.get(clusterId, id);
    await this.record('affinity_group.created', `affinity group ${group.name} created`, clusterId, meta);
    return group;
  }

  async update(clusterId: string, id: string, dto: UpdateAffinityGroupDto, meta: RequestMeta) {
    const group = await this.groupOf(clusterId, id);
    const vmIds = dto.vmIds ? await this.checkedMembers(clusterId, dto.vmIds) : null;
    const hostIds = dto.hostIds ? await this.checkedHosts(clusterId, dto.hostIds) : null;
    await this.db.transaction(async (m) => {
      const { vmIds: _ignored, hostIds: _hosts, ...fields } = dto;
      if (Object.keys(fields).length) await m.update(AffinityGroupEntity, { id }, fields);
      if (vmIds) {
        await m.delete(AffinityGroupVmEntity, { groupId: id });
        if (vmIds.length)
          await m.insert(
            AffinityGroupVmEntity,
            vmIds.map((vmId) => ({ groupId: id, vmId })),
          );
      }
      if (hostIds) {
        await m.delete(AffinityGroupHostEntity, { groupId: id });
        if (hostIds.length)
          await m.insert(
            AffinityGroupHostEntity,
            hostIds.map((hostId) => ({ groupId: id, hostId })),
          );
      }
    });
    await this.record('affinity_group.updated', `affinity group ${group.name} updated`, clusterId, meta);
    return this.get(clusterId, id);
  }

  async remove(clusterId: string, id: string, meta: RequestMeta): Promise<void> {
    const group = await this.groupOf(clusterId, id);
    await this.groups.delete({ id });
    await this.record('affinity_group.deleted', `affinity group ${group.name} deleted`, clusterId, meta);
  }

  private async clusterOf(id: string): Promise<ClusterEntity> {
    const c = await this.clusters.find(id);
    if (!c) throw notFound(ObjectType.Cluster, id);
    return c;
  }

  private async groupOf(clusterId: string, id: string): Promise<AffinityGroupEntity> {
    const g = await this.groups.findOneBy({ id, clusterId });
    if (!g) throw notFound('affinity_group', id);
    return g;
  }

  /** 400 naming the VMs that do not exist or belong to another cluster; nothing is written. */
  private async checkedMembers(clusterId: string, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = unique.length ? await this.vms.summariesOf(unique) : [];
    const bad = unique.filter((id) => found.find((v) => v.id === id)?.clusterId !== clusterId);
    if (bad.length)
      throw validationFailed(
        'affinity group members must be VMs of the cluster',
        bad.map((id) => ({
          field: 'vmIds',
          reason: found.some((v) => v.id === id)
            ? `VM ${id} is in another cluster`
            : `VM ${id} does not exist`,
        })),
      );
    return unique;
  }

  /** 400 naming the hosts that do not exist or belong to another cluster; nothing is written. */
  private async checkedHosts(clusterId: string, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = unique.length ? await this.hosts.clustersOf(unique) : [];
    const bad = unique.filter((id) => found.find((h) => h.id === id)?.clusterId !== clusterId);
    if (bad.length)
      throw validationFailed(
        'affinity group hosts must be hosts of the cluster',
        bad.map((id) => ({
          field: 'hostIds',
          reason: found.some((h) => h.id === id)
            ? `host ${id} is in another cluster`
            : `host ${id} does not exist`,
        })),
      );
    return unique;
  }

  private async withMembers(groups: AffinityGroupEntity[]): Promise<AffinityGroup[]> {
    const ids = groups.map((g) => g.id);
    const [members, hosts] = ids.length
      ? await Promise.all([
          this.members.findBy({ groupId: In(ids) }),
          this.groupHosts.findBy({ groupId: In(ids) }),
        ])
      : [[], []];
    return groups.map((g) => ({
      id: g.id,
      clusterId: g.clusterId,
      name: g.name,
      description: g.description,
      polarity: g.polarity,
      enforcing: g.enforcing,
      vmIds: members
        .filter((m) => m.groupId === g.id)
        .map((m) => m.vmId)
        .sort(),
      hostIds: hosts
        .filter((h) => h.groupId === g.id)
        .map((h) => h.hostId)
        .sort(),
      createdAt: g.createdAt.toISOString(),
      updatedAt: g.updatedAt.toISOString(),
    }));
  }

  private async record(type: string, message: string, clusterId: string, meta: RequestMeta) {
    await this.events.record({
      type,
      message,
      refs: [{ type: ObjectType.Cluster, id: clusterId }],
      correlationId: meta.correlationId,
    });
  }
}
