import {
  ApiErrorDetail,
  CommandName,
  CommandPayload,
  CommandResult,
  ErrorCode,
  HostStatus,
  ObjectType,
  StorageDomainType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { findReferenced, refOf } from '../inventory/inventory.service';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { TaskContext } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { checkTransition, VmAction } from './vm-state-table';

/** An agent failure → a task error that keeps the agent's code in the message. */
export function agentFailure(what: string, err: unknown): Error {
  if (err instanceof DomainError) return err;
  if (err instanceof AgentCommandError) {
    const code =
      err.code === 'timeout'
        ? ErrorCode.Timeout
        : err.code === 'not_delivered' || err.code === 'command_lost' || err.code === 'outcome_unknown'
          ? ErrorCode.HostUnavailable
          : ErrorCode.Unprocessable;
    return new DomainError(code, `${what}: ${err.message} (${err.code})`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** What every VM operation checks before it reaches a host (state table, host up, one task at a
 * time, references in the VM's cluster/datacenter), and how it talks to the host (task-scoped
 * commands whose failures become task errors). */
@Injectable()
export class VmChecks {
  constructor(
    @InjectRepository(VmEntity) private readonly vmRepo: Repository<VmEntity>,
    @InjectRepository(HostEntity) private readonly hostRepo: Repository<HostEntity>,
    @InjectRepository(StorageDomainEntity) private readonly sdRepo: Repository<StorageDomainEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly netRepo: Repository<LogicalNetworkEntity>,
    @InjectRepository(ClusterNetworkEntity) private readonly clusterNetRepo: Repository<ClusterNetworkEntity>,
    private readonly bus: CommandBus,
  ) {}

  guard(vm: VmEntity, action: VmAction): void {
    const verdict = checkTransition(action, vm.status, vm);
    if (!verdict.allowed) {
      throw invalidState(`cannot ${action} VM ${vm.name}: ${verdict.reason}`, [
        { reason: verdict.reason, ref: refOf(ObjectType.Vm, vm) },
      ]);
    }
  }

  /** The VM's host, which must be up: commands to a host that is not are refused (503). */
  async upHost(hostId: string): Promise<HostEntity> {
    const host = await this.hostRepo.findOneByOrFail({ id: hostId });
    if (host.status !== HostStatus.Up) {
      throw new DomainError(
        ErrorCode.HostUnavailable,
        `host ${host.name} is ${host.status}${host.statusReason ? ` (${host.statusReason})` : ''}; try again when it is up`,
        [{ reason: `host is ${host.status}`, ref: refOf(ObjectType.Host, host) }],
      );
    }
    return host;
  }

  /** One lifecycle task per VM at a time. */
  async assertNotBusy(vm: VmEntity): Promise<void> {
    const rows: { id: string; type: string }[] = await this.vmRepo.query(
      `SELECT id, type FROM task WHERE target_id = $1 AND status IN ('queued', 'running') LIMIT 1`,
      [vm.id],
    );
    if (rows.length) {
      throw invalidState(`VM ${vm.name} is busy with ${rows[0].type} (task ${rows[0].id})`, [
        { reason: `task ${rows[0].type} is running`, ref: { type: ObjectType.Task, id: rows[0].id } },
      ]);
    }
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
        `host ${host.name} is ${host.status}; a VM can be placed only on a host that is up`,
        [{ field: 'hostId', reason: `host is ${host.status}`, ref: refOf(ObjectType.Host, host) }],
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
    if (sd.type !== StorageDomainType.Dir) {
      throw new DomainError(
        ErrorCode.Unprocessable,
        `storage domain ${sd.name} is of type ${sd.type}: new volumes can be made only on dir domains yet`,
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

  /** CommandBus.send with the task id, failures turned into task errors. */
  async send<N extends CommandName>(
    host: HostEntity,
    name: N,
    payload: CommandPayload<N>,
    ctx?: TaskContext,
  ): Promise<CommandResult<N>> {
    try {
      return await this.bus.send(host.id, name, payload, {
        taskId: ctx?.task.id,
        correlationId: ctx?.task.correlationId ?? undefined,
      });
    } catch (err) {
      throw agentFailure(`${name} on ${host.name}`, err);
    }
  }
}
