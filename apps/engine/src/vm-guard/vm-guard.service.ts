import {
  ApiErrorDetail,
  CommandName,
  CommandPayload,
  CommandResult,
  DomainDiskInfo,
  ErrorCode,
  HostStatus,
  ObjectType,
  statusPhrase,
  StorageDomainStatus,
  StorageDomainType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { fromAgentError } from '../agents/agent-error.mapping';
import { CommandBus, SendOptions } from '../agents/command-bus.service';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DiskEntity } from '../disks/disk.entity';
import { DomainError, invalidState, notFound, validationFailed } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { findReferenced, refOf } from '../crud/inventory.service';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { LockedCheck, TaskContext } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { gib, SpaceShortage } from './storage-space';
import { stepJobId } from './task-probe';
import { checkTransition, VmAction } from './vm-state-table';

/**
 * What every VM operation checks before it reaches a host, in one place for every feature
 * (lifecycle, hot-plug, snapshots, clones, templates, cloud-init): the state table, the host being
 * up, references in the VM's cluster/datacenter, free space; and how it talks to the host (typed
 * commands whose failures become domain errors through the one agent-error mapping).
 * One operation at a time per VM is not checked here: the task's lock does it (tasks/task-locks.ts).
 */
@Injectable()
export class VmGuard {
  constructor(
    @InjectRepository(VmEntity) readonly vms: Repository<VmEntity>,
    @InjectRepository(HostEntity) private readonly hostRepo: Repository<HostEntity>,
    @InjectRepository(StorageDomainEntity) private readonly sdRepo: Repository<StorageDomainEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly netRepo: Repository<LogicalNetworkEntity>,
    @InjectRepository(ClusterNetworkEntity) private readonly clusterNetRepo: Repository<ClusterNetworkEntity>,
    private readonly bus: CommandBus,
  ) {}

  async vm(id: string): Promise<VmEntity> {
    const vm = await this.vms.findOneBy({ id });
    if (!vm) throw notFound(ObjectType.Vm, id);
    return vm;
  }

  /** 409 with the state table's reason when `action` is illegal for the VM now. */
  guard(vm: VmEntity, action: VmAction): void {
    const verdict = checkTransition(action, vm.status, vm);
    if (!verdict.allowed) {
      throw invalidState(`cannot ${action} VM ${vm.name}: ${verdict.reason}`, [
        { reason: verdict.reason, ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
  }

  /** The state-table check again, on the VM as it is once the task holds it (TaskSpec.verify): what a
   * finished operation changed since the request was checked refuses this one with 409. */
  recheck(vmId: string, action: VmAction): LockedCheck {
    return async (em) => {
      const vm = await em.findOneBy(VmEntity, { id: vmId });
      if (!vm) throw notFound(ObjectType.Vm, vmId);
      this.guard(vm, action);
    };
  }

  /** The VM's host, which must be up: commands to a host that is not are refused (503). A
   * non-operational host still runs its VMs and takes commands for them (only new VMs avoid it). */
  async upHost(hostId: string): Promise<HostEntity> {
    const host = await this.hostRepo.findOneBy({ id: hostId });
    if (!host) throw notFound(ObjectType.Host, hostId);
    if (host.status !== HostStatus.Up && host.status !== HostStatus.NonOperational) {
      throw new DomainError(
        ErrorCode.HostUnavailable,
        `host ${host.name} is ${statusPhrase(host.status)}${host.statusReason ? ` (${host.statusReason})` : ''}; try again when it is up`,
        [{ reason: `host is ${statusPhrase(host.status)}`, ref: refOf(ObjectType.Host, host) }],
      );
    }
    return host;
  }

  /** The host the VM is defined on, which must be up (409 when it is on none, 503 when it is not up). */
  async hostOf(vm: VmEntity): Promise<HostEntity> {
    if (!vm.hostId)
      throw invalidState(`VM ${vm.name} is not defined on any host`, [
        { reason: 'no host', ref: refOf(ObjectType.Vm, vm) },
      ]);
    return this.upHost(vm.hostId);
  }

  async checkChosenHost(hostId: string, cluster: ClusterEntity): Promise<HostEntity> {
    const host = await findReferenced(this.hostRepo, ObjectType.Host, hostId, 'hostId');
    if (host.clusterId !== cluster.id) {
      throw validationFailed(`host ${host.name} is not in cluster ${cluster.name}`, [
        { field: 'hostId', reason: "host is not in the VM's cluster", ref: refOf(ObjectType.Host, host) },
      ]);
    }
    if (host.status !== HostStatus.Up) {
      throw invalidState(
        `host ${host.name} is ${statusPhrase(host.status)}; a VM can be placed only on a host that is up`,
        [
          {
            field: 'hostId',
            reason: `host is ${statusPhrase(host.status)}`,
            ref: refOf(ObjectType.Host, host),
          },
        ],
      );
    }
    return host;
  }

  async checkStorageDomain(id: string, cluster: ClusterEntity, field: string): Promise<StorageDomainEntity> {
    const sd = await findReferenced(this.sdRepo, ObjectType.StorageDomain, id, field);
    const problems: ApiErrorDetail[] = [];
    if (sd.datacenterId !== cluster.datacenterId)
      problems.push({
        field,
        reason: "storage domain is not in the VM's datacenter",
        ref: refOf(ObjectType.StorageDomain, sd),
      });
    if (problems.length) throw validationFailed('invalid storage domain', problems);
    if (sd.status === StorageDomainStatus.Maintenance) {
      throw invalidState(
        `storage domain ${sd.name} is in maintenance: activate it before putting disks on it`,
        [{ field, reason: 'storage domain is in maintenance', ref: refOf(ObjectType.StorageDomain, sd) }],
      );
    }
    if (sd.type !== StorageDomainType.Dir && sd.type !== StorageDomainType.Local) {
      throw new DomainError(
        ErrorCode.Unprocessable,
        `storage domain ${sd.name} is of type ${sd.type}: new volumes can be made only on dir and local domains yet`,
        [
          {
            field,
            reason: `type ${sd.type} not supported for new volumes`,
            ref: refOf(ObjectType.StorageDomain, sd),
          },
        ],
      );
    }
    return sd;
  }

  /** 409 when a disk of the VM lives on a domain in maintenance: its pools are gone from every host,
   * so the start would fail on the host only after the task had begun. */
  async assertStorageAvailable(vm: VmEntity): Promise<void> {
    const blocked = await this.sdRepo
      .createQueryBuilder('sd')
      .innerJoin(DiskEntity, 'd', 'd.storageDomainId = sd.id')
      .where('d.vmId = :vmId', { vmId: vm.id })
      .andWhere('sd.status = :status', { status: StorageDomainStatus.Maintenance })
      .getMany();
    if (!blocked.length) return;
    throw invalidState(
      `cannot start VM ${vm.name}: its disks are on storage domain(s) in maintenance (${blocked.map((sd) => sd.name).join(', ')}); activate them first`,
      blocked.map((sd) => ({
        reason: 'storage domain is in maintenance',
        ref: refOf(ObjectType.StorageDomain, sd),
      })),
    );
  }

  async checkNetwork(id: string, cluster: ClusterEntity, field: string): Promise<LogicalNetworkEntity> {
    const net = await findReferenced(this.netRepo, ObjectType.Network, id, field);
    const problems: ApiErrorDetail[] = [];
    const ref = refOf(ObjectType.Network, net);
    if (net.datacenterId !== cluster.datacenterId)
      problems.push({ field, reason: "network is not in the VM's datacenter", ref });
    else if (!net.vmNetwork) problems.push({ field, reason: 'not a VM network', ref });
    else if (!(await this.clusterNetRepo.existsBy({ clusterId: cluster.id, networkId: net.id })))
      problems.push({ field, reason: `network is not attached to cluster ${cluster.name}`, ref });
    if (problems.length) throw validationFailed(`network ${net.name} cannot carry this VM`, problems);
    return net;
  }

  /** An ISO must be a file inside a storage domain of the datacenter. */
  async checkIsoPath(path: string, datacenterId: string, field: string): Promise<void> {
    const sds = await this.sdRepo.findBy({ datacenterId });
    const inside = sds.some((sd) => path.startsWith(`${sd.path.replace(/\/+$/, '')}/`));
    if (!inside) {
      throw validationFailed('the ISO must be inside a storage domain of the datacenter', [
        {
          field,
          reason: `not inside any storage domain path (${sds.map((s) => s.path).join(', ') || 'none'})`,
        },
      ]);
    }
  }

  /** CommandBus.send on behalf of a task (its id and correlation id travel with the command) or with
   * explicit options; failures become domain errors (fromAgentError). */
  async send<N extends CommandName>(
    host: HostEntity | string,
    name: N,
    payload: CommandPayload<N>,
    via: TaskContext | SendOptions = {},
  ): Promise<CommandResult<N>> {
    const options: SendOptions =
      'task' in via ? { taskId: via.task.id, correlationId: via.task.correlationId ?? undefined } : via;
    const hostId = typeof host === 'string' ? host : host.id;
    try {
      return await this.bus.send(hostId, name, payload, options);
    } catch (err) {
      throw fromAgentError(err, typeof host === 'string' ? name : `${name} on ${host.name}`);
    }
  }

  /** Sends a task's step under the job id `<task>-<step>` once the checkpoint `step` (with the host
   * and `data`) is written, and records `<step>-sent` while it is on its way: an engine adopting the
   * task finds that job (TaskProbe.outcome) and nothing is sent twice. */
  async sendStep<N extends CommandName>(
    host: HostEntity,
    name: N,
    payload: CommandPayload<N>,
    ctx: TaskContext,
    step: string,
    data: Record<string, unknown> = {},
  ): Promise<CommandResult<N>> {
    const jobId = stepJobId(ctx.task.id, step);
    await ctx.checkpoint(step, { hostId: host.id, jobId, ...data });
    const sending = this.send(host, name, payload, {
      taskId: ctx.task.id,
      correlationId: ctx.task.correlationId ?? undefined,
      jobId,
    });
    sending.catch(() => undefined);
    await ctx.checkpoint(`${step}-sent`);
    return sending;
  }

  /** The VM's disks as its host sees them (paths, sizes, free space). */
  async storage(vm: VmEntity, hostId: string): Promise<DomainDiskInfo[]> {
    return (await this.send(hostId, 'vm.storage.info', { uuid: vm.id })).disks;
  }

  /** 422 naming each pool/directory that lacks the space. */
  assertSpace(what: string, shortages: SpaceShortage[]): void {
    if (!shortages.length) return;
    throw new DomainError(
      ErrorCode.Unprocessable,
      `not enough free space for ${what}: ${shortages
        .map((s) => `${s.where} has ${gib(s.availableBytes)} free, needs ${gib(s.neededBytes)}`)
        .join('; ')}`,
      shortages.map((s) => ({
        field: 'storage',
        reason: `${s.where}: ${gib(s.availableBytes)} available < ${gib(s.neededBytes)} needed (disks ${s.disks.join(', ')})`,
      })),
    );
  }
}
