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
import { fromAgentError } from '../agents/agent-error.mapping';
import { CommandBus, SendOptions } from '../agents/command-bus.service';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DiskEntity } from '../disks/disk.entity';
import { DiskRepository } from '../disks/disk.repository';
import { DomainError, invalidState, notFound, validationFailed } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { findReferenced, refOf } from '../crud/inventory.service';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NetworkRepository } from '../networks/network.repository';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { LockedCheck, TaskContext } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
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
    readonly vms: VmRepository,
    private readonly hostRepo: HostRepository,
    private readonly sdRepo: StorageDomainRepository,
    private readonly diskRepo: DiskRepository,
    private readonly netRepo: NetworkRepository,
    private readonly bus: CommandBus,
  ) {}

  async vm(id: string): Promise<VmEntity> {
    const vm = await this.vms.byId(id);
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
      const vm = await this.vms.inTransaction(em, vmId);
      if (!vm) throw notFound(ObjectType.Vm, vmId);
      this.guard(vm, action);
    };
  }

  /** The VM's host, which must be up: commands to a host that is not are refused (503). A
   * non-operational host still runs its VMs and takes commands for them (only new VMs avoid it).
   * `preparing`: a host preparing for maintenance takes them too — stopping or deleting a VM is how
   * an admin lets an evacuation that left it behind finish (nothing new is defined there by these). */
  async upHost(hostId: string, opts: { preparing?: boolean } = {}): Promise<HostEntity> {
    const host = await this.hostRepo.find(hostId);
    if (!host) throw notFound(ObjectType.Host, hostId);
    const usable =
      host.status === HostStatus.Up ||
      host.status === HostStatus.NonOperational ||
      (opts.preparing === true && host.status === HostStatus.PreparingForMaintenance);
    if (!usable) {
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

  /** A domain the VM's new disk can go to. `networkDomains`: rbd images (and iSCSI LUNs, which the
   * disk service allots) are accepted too; hot-plug still makes file volumes only. */
  async checkStorageDomain(
    id: string,
    cluster: ClusterEntity,
    field: string,
    { networkDomains = false }: { networkDomains?: boolean } = {},
  ): Promise<StorageDomainEntity> {
    const sd = await findReferenced(this.sdRepo, ObjectType.StorageDomain, id, field);
    const problems: ApiErrorDetail[] = [];
    if (sd.datacenterId !== cluster.datacenterId)
      problems.push({
        field,
        reason: "storage domain is not in the VM's datacenter",
        ref: refOf(ObjectType.StorageDomain, sd),
      });
    if (problems.length) throw validationFailed('invalid storage domain', problems);
    // Only where a domain is active do hosts serve (and check) its pool: a new volume anywhere else
    // would be made on a directory nobody watches, or on no pool at all.
    if (sd.status !== StorageDomainStatus.Active && sd.status !== StorageDomainStatus.Degraded) {
      throw invalidState(
        `storage domain ${sd.name} is ${statusPhrase(sd.status)}: activate it in its datacenter before putting disks on it`,
        [{ field, reason: `storage domain is ${sd.status}`, ref: refOf(ObjectType.StorageDomain, sd) }],
      );
    }
    const network =
      networkDomains && (sd.type === StorageDomainType.Rbd || sd.type === StorageDomainType.Iscsi);
    if (sd.type !== StorageDomainType.Dir && sd.type !== StorageDomainType.Local && !network) {
      throw new DomainError(
        ErrorCode.Unprocessable,
        `storage domain ${sd.name} is of type ${sd.type}: new volumes can be made only on dir and local domains${networkDomains ? '' : ' (and rbd and iscsi when a VM is created)'} yet`,
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
    const blocked = [...(await this.domainsOfDisks(vm)).values()].filter(
      (sd) => sd.status === StorageDomainStatus.Maintenance,
    );
    if (!blocked.length) return;
    throw invalidState(
      `cannot start VM ${vm.name}: its disks are on storage domain(s) in maintenance (${blocked.map((sd) => sd.name).join(', ')}); activate them first`,
      blocked.map((sd) => ({
        reason: 'storage domain is in maintenance',
        ref: refOf(ObjectType.StorageDomain, sd),
      })),
    );
  }

  /** 409 when a stopped VM cannot start on another host than `host` because a disk of it lives on a
   * host-local storage domain (each host has its own volume at that path: elsewhere it would be
   * missing or another VM's); the answer names the disks and the way that does move them. */
  async assertCanLeaveHost(vm: VmEntity, host: HostEntity, why: string): Promise<void> {
    const disks = await this.diskRepo.ofVm(vm.id, true);
    const domains = await this.domainsOfDisks(vm, disks);
    const local = disks.flatMap((d) => {
      const sd = domains.get(d.storageDomainId);
      return sd?.type === StorageDomainType.Local
        ? [{ targetDev: d.targetDev, domainName: sd.name, domainId: sd.id }]
        : [];
    });
    if (!local.length) return;
    throw invalidState(
      `cannot start VM ${vm.name} on another host of its cluster (it leaves ${host.name}: ${why}): disk(s) ` +
        `${local.map((d) => `${d.targetDev} (${d.domainName})`).join(', ')} are on host-local storage there; ` +
        `start it on ${host.name} (activate that host first if it is in maintenance), then move it with a ` +
        `live migration that copies its disks (POST /vms/${vm.id}/migrate with storage: copy-all)`,
      local.map((d) => ({
        reason: `disk ${d.targetDev} is on host-local storage domain ${d.domainName} of ${host.name}`,
        ref: { type: ObjectType.StorageDomain, id: d.domainId, name: d.domainName },
      })),
    );
  }

  /** 409 when a disk of the VM is a LUN or an RBD image: libvirt's snapshots write qcow2 overlays or
   * internal snapshots into files, which these are not (their storage snapshots them itself). */
  async assertSnapshotableDisks(vm: VmEntity): Promise<void> {
    const network = [...(await this.domainsOfDisks(vm)).values()].filter(
      (sd) => sd.type === StorageDomainType.Iscsi || sd.type === StorageDomainType.Rbd,
    );
    if (!network.length) return;
    throw invalidState(
      `VM ${vm.name} has disks on ${network.map((sd) => `${sd.type} domain ${sd.name}`).join(', ')}: a LUN or RBD image cannot take a libvirt snapshot`,
      network.map((sd) => ({
        field: 'type',
        reason: `disks on ${sd.type} domains cannot be snapshotted`,
        ref: refOf(ObjectType.StorageDomain, sd),
      })),
    );
  }

  /** The storage domains holding the VM's disks (`disks` when already read), by id. */
  private async domainsOfDisks(
    vm: VmEntity,
    disks?: DiskEntity[],
  ): Promise<Map<string, StorageDomainEntity>> {
    const ids = (disks ?? (await this.diskRepo.ofVm(vm.id))).map((d) => d.storageDomainId);
    const sds = ids.length ? await this.sdRepo.byIds(ids) : [];
    return new Map(sds.map((sd) => [sd.id, sd]));
  }

  async checkNetwork(id: string, cluster: ClusterEntity, field: string): Promise<LogicalNetworkEntity> {
    const net = await findReferenced(this.netRepo, ObjectType.Network, id, field);
    const problems: ApiErrorDetail[] = [];
    const ref = refOf(ObjectType.Network, net);
    if (net.datacenterId !== cluster.datacenterId)
      problems.push({ field, reason: "network is not in the VM's datacenter", ref });
    else if (!net.vmNetwork) problems.push({ field, reason: 'not a VM network', ref });
    else if (!(await this.netRepo.attachedTo(cluster.id, net.id)))
      problems.push({ field, reason: `network is not attached to cluster ${cluster.name}`, ref });
    if (problems.length) throw validationFailed(`network ${net.name} cannot carry this VM`, problems);
    return net;
  }

  /** An ISO must be a file inside a storage domain of the datacenter. */
  async checkIsoPath(path: string, datacenterId: string, field: string): Promise<void> {
    const sds = await this.sdRepo.inDatacenter(datacenterId);
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
