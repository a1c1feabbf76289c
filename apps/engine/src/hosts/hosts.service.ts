import { EventSeverity, HostStatus, ObjectRef, ObjectType, statusPhrase } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta, SYSTEM_META } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { ClusterEntity } from '../clusters/cluster.entity';
import { EventsService } from '../events/events.service';
import { ChildKind, InventoryService, refOf } from '../inventory/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateHostDto, UpdateHostDto } from './host.dto';
import { HostEntity } from './host.entity';

/** Runtime facts the engine (agent connection, monitoring) keeps up to date; not editable by users. */
export type HostRuntime = Partial<
  Pick<HostEntity, 'capabilities' | 'lastHeartbeatAt' | 'load' | 'agentProtocolVersion'>
>;

const UNDELETABLE: HostStatus[] = [HostStatus.Up, HostStatus.PreparingForMaintenance];

@Injectable()
export class HostsService extends InventoryService<HostEntity> {
  protected readonly type = ObjectType.Host;
  protected readonly alias = 'h';
  protected readonly listSpec: ListSpec = {
    sortable: {
      name: 'h.name',
      address: 'h.address',
      status: 'h.status',
      lastHeartbeatAt: 'h.lastHeartbeatAt',
      createdAt: 'h.createdAt',
      updatedAt: 'h.updatedAt',
    },
    defaultSort: 'name',
    search: 'h.name',
    filters: {
      clusterId: 'h.clusterId',
      status: 'h.status',
      datacenterId: (qb, v, p) =>
        qb.andWhere(`h.clusterId IN (SELECT c.id FROM cluster c WHERE c.datacenter_id = :${p})`, { [p]: v }),
    },
  };
  protected override readonly children: ChildKind[] = [
    { type: ObjectType.Vm, table: 'vm', column: 'host_id', label: 'VMs' },
  ];

  constructor(
    @InjectRepository(HostEntity) repo: Repository<HostEntity>,
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    events: EventsService,
    stream: StreamService,
  ) {
    super(repo, events, stream);
  }

  protected override related(h: HostEntity): ObjectRef[] {
    return [{ type: ObjectType.Cluster, id: h.clusterId }];
  }

  /** Registers the host; it stays `installing` until its agent connects (a later issue). */
  async create(dto: CreateHostDto, meta: RequestMeta): Promise<HostEntity> {
    await this.mustExist(this.clusters, ObjectType.Cluster, dto.clusterId, 'clusterId');
    return this.insert(
      this.repo.create({
        id: randomUUID(),
        name: dto.name,
        description: dto.description ?? '',
        clusterId: dto.clusterId,
        address: dto.address,
        libvirtUri: dto.libvirtUri,
        status: HostStatus.Installing,
        statusReason: 'waiting for the agent to connect',
        capabilities: null,
        lastHeartbeatAt: null,
        load: null,
        agentProtocolVersion: null,
      }),
      meta,
    );
  }

  async update(id: string, dto: UpdateHostDto, meta: RequestMeta): Promise<HostEntity> {
    const current = await this.get(id);
    if (dto.clusterId !== undefined && dto.clusterId !== current.clusterId) {
      if (![HostStatus.Maintenance, HostStatus.Installing].includes(current.status as never)) {
        throw invalidState(`host ${current.name} must be in maintenance to change its cluster`, [
          {
            field: 'clusterId',
            reason: `host is ${statusPhrase(current.status)}`,
            ref: refOf(ObjectType.Host, current),
          },
        ]);
      }
      await this.mustExist(this.clusters, ObjectType.Cluster, dto.clusterId, 'clusterId');
    }
    return this.patch(id, dto, meta, current);
  }

  protected override async beforeRemove(h: HostEntity): Promise<void> {
    if (UNDELETABLE.includes(h.status)) {
      throw invalidState(`host ${h.name} is ${statusPhrase(h.status)}; put it in maintenance first`, [
        { reason: `status is ${h.status}`, ref: refOf(ObjectType.Host, h) },
      ]);
    }
  }

  /** For the monitoring/agent features: changes the status, publishes `host.status`, records an event. */
  async setStatus(
    id: string,
    status: HostStatus,
    reason: string | null = null,
    meta = SYSTEM_META,
  ): Promise<HostEntity> {
    const current = await this.get(id);
    if (current.status === status && current.statusReason === reason) return current;
    await this.repo.update({ id }, { status, statusReason: reason });
    const host = await this.get(id);
    const refs = [refOf(ObjectType.Host, host), ...this.related(host)];
    if (current.status !== status) {
      await this.notify.stream.publish({
        type: 'host.status',
        object: refs[0],
        from: current.status,
        to: status,
        reason,
        refs,
        correlationId: meta.correlationId,
      });
      await this.notify.events.record({
        severity:
          status === HostStatus.Up || status === HostStatus.Maintenance
            ? EventSeverity.Info
            : EventSeverity.Warning,
        type: 'host.status',
        message: `host ${host.name} is ${statusPhrase(status)} (was ${statusPhrase(current.status)})${reason ? `: ${reason}` : ''}`,
        refs,
        correlationId: meta.correlationId,
      });
    } else {
      // Same status, new reason (e.g. an evacuation that failed for a VM): views must still see it.
      await this.notify.stream.publish({
        type: 'object.updated',
        object: refs[0],
        changes: ['statusReason'],
        data: JSON.parse(JSON.stringify(host)) as Record<string, unknown>,
        refs,
        correlationId: meta.correlationId,
      });
    }
    return host;
  }

  /** Capabilities, heartbeat time, load, protocol version: saved and announced as `object.updated`, no audit event. */
  async updateRuntime(id: string, runtime: HostRuntime): Promise<HostEntity> {
    await this.repo.update({ id }, runtime);
    const host = await this.get(id);
    await this.notify.stream.publish({
      type: 'object.updated',
      object: refOf(ObjectType.Host, host),
      changes: Object.keys(runtime),
      data: JSON.parse(JSON.stringify(host)) as Record<string, unknown>,
      refs: [refOf(ObjectType.Host, host), ...this.related(host)],
    });
    return host;
  }
}
