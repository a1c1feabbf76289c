import { EventSeverity, HostStatus, ObjectRef, ObjectType, statusPhrase } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta, SYSTEM_META } from '../common/http/request-meta';
import { ListSpec } from '../common/list/list-query';
import { ClusterRepository } from '../clusters/cluster.repository';
import { EventsService } from '../events/events.service';
import { VmRows } from '../crud/child-rows.port';
import { ChildKind, InventoryService, refOf } from '../crud/inventory.service';
import { StreamService } from '../stream/stream.service';
import { CreateHostDto, UpdateHostDto } from './host.dto';
import { HostEntity } from './host.entity';

/** Runtime facts the engine (agent connection, monitoring) keeps up to date; not editable by users. */
export type HostRuntime = Partial<
  Pick<HostEntity, 'capabilities' | 'lastHeartbeatAt' | 'load' | 'agentProtocolVersion'>
>;

/** What enrollment records about how it reached the host (never its credentials). */
export type HostSsh = Pick<HostEntity, 'sshPort' | 'sshUser'> &
  Partial<Pick<HostEntity, 'sshHostKey' | 'sshHostKeyFingerprint'>>;

/** A host serving VMs (or about to stop) keeps its address and libvirt URI: other hosts migrate to it. */
const ADDRESS_FROZEN: HostStatus[] = [
  HostStatus.Up,
  HostStatus.NonOperational,
  HostStatus.PreparingForMaintenance,
  HostStatus.NonResponsive,
];

const UNDELETABLE: HostStatus[] = [
  HostStatus.Up,
  HostStatus.PreparingForMaintenance,
  HostStatus.NonOperational,
];

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
    { type: ObjectType.Vm, rows: VmRows, field: 'hostId', label: 'VMs' },
  ];

  constructor(
    @InjectRepository(HostEntity) repo: Repository<HostEntity>,
    private readonly clusters: ClusterRepository,
    events: EventsService,
    stream: StreamService,
    owners: ModuleRef,
  ) {
    super(repo, events, stream, owners);
  }

  protected override related(h: HostEntity): ObjectRef[] {
    return [{ type: ObjectType.Cluster, id: h.clusterId }];
  }

  /** Registers the host; it stays `installing` until its agent connects (deployed by other means, or by
   * enrollment, which passes `ssh`). */
  async create(dto: CreateHostDto, meta: RequestMeta, ssh?: HostSsh): Promise<HostEntity> {
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
        statusReason: ssh ? 'enrolling over SSH' : 'waiting for the agent to connect',
        capabilities: null,
        lastHeartbeatAt: null,
        load: null,
        agentProtocolVersion: null,
        sshPort: ssh?.sshPort ?? null,
        sshUser: ssh?.sshUser ?? null,
        sshHostKey: ssh?.sshHostKey ?? null,
        sshHostKeyFingerprint: ssh?.sshHostKeyFingerprint ?? null,
      }),
      meta,
    );
  }

  /** `verify` runs once the change is allowed, before it is written (enrollment re-checks a new address). */
  async update(
    id: string,
    dto: UpdateHostDto,
    meta: RequestMeta,
    verify?: () => Promise<void>,
  ): Promise<HostEntity> {
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
    const moved = (['address', 'libvirtUri'] as const).filter(
      (f) => dto[f] !== undefined && dto[f] !== current[f],
    );
    if (moved.length && ADDRESS_FROZEN.includes(current.status))
      throw invalidState(`host ${current.name} must be in maintenance to change its ${moved.join(' and ')}`, [
        ...moved.map((field) => ({
          field,
          reason: `host is ${statusPhrase(current.status)}`,
          ref: refOf(ObjectType.Host, current),
        })),
      ]);
    await verify?.();
    return this.patch(id, dto, meta, current);
  }

  /** `uninstall` runs once nothing blocks the removal, before the row goes (an enrolled host's agent
   * removes itself); what it returns, if anything, is why that did not happen, kept in the audit log. */
  override async remove(
    id: string,
    meta: RequestMeta,
    uninstall?: (host: HostEntity) => Promise<string | null>,
  ): Promise<void> {
    const host = await this.get(id);
    await this.beforeRemove(host);
    await this.assertNoChildren(this.repo.manager, host);
    const leftover = await uninstall?.(host);
    await super.remove(id, meta);
    if (leftover)
      await this.notify.events.record({
        severity: EventSeverity.Warning,
        type: 'host.agent_left',
        message: leftover,
        refs: [refOf(ObjectType.Host, host), ...this.related(host)],
        correlationId: meta.correlationId,
      });
  }

  /** Records how enrollment reached the host and the key it pinned; announced like a runtime change. */
  async recordSsh(id: string, ssh: HostSsh): Promise<HostEntity> {
    return this.updateRuntime(id, ssh);
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
        data: this.notify.stream.dataOf(ObjectType.Host, host),
        refs,
        correlationId: meta.correlationId,
      });
    }
    return host;
  }

  /** Capabilities, heartbeat time, load, protocol version: saved and announced as `object.updated`, no audit event. */
  async updateRuntime(id: string, runtime: HostRuntime | HostSsh): Promise<HostEntity> {
    await this.repo.update({ id }, runtime);
    const host = await this.get(id);
    await this.notify.stream.publish({
      type: 'object.updated',
      object: refOf(ObjectType.Host, host),
      changes: Object.keys(runtime),
      data: this.notify.stream.dataOf(ObjectType.Host, host),
      refs: [refOf(ObjectType.Host, host), ...this.related(host)],
    });
    return host;
  }
}
