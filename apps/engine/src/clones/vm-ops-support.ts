import {
  CommandName,
  CommandPayload,
  CommandResult,
  DomainDiskInfo,
  ErrorCode,
  HostStatus,
  ObjectType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { dirname } from 'node:path';
import { Repository } from 'typeorm';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus, SendOptions } from '../agents/command-bus.service';
import { DomainError, invalidState, notFound } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { refOf } from '../inventory/inventory.service';
import { checkTransition, VmAction } from '../vm-operations/vm-state-table';
import { VmEntity } from '../vms/vm.entity';

/** An agent failure as the domain error a task records (the agent's code stays in the message). */
export function fromAgentError(e: unknown): unknown {
  if (!(e instanceof AgentCommandError)) return e;
  const code: ErrorCode =
    e.code === 'domain_not_found'
      ? ErrorCode.NotFound
      : e.code === 'operation_invalid'
        ? ErrorCode.InvalidState
        : e.code === 'timeout'
          ? ErrorCode.Timeout
          : e.code === 'not_delivered' ||
              e.code === 'connection_lost' ||
              e.code === 'command_lost' ||
              e.code === 'outcome_unknown'
            ? ErrorCode.HostUnavailable
            : e.code === 'invalid_payload'
              ? ErrorCode.ValidationFailed
              : ErrorCode.Internal;
  return new DomainError(code, `${e.code}: ${e.message}`);
}

/** A group of disks sharing free space (one pool, or one directory when no pool serves it). */
export interface SpaceShortage {
  where: string;
  neededBytes: number;
  availableBytes: number;
  disks: string[];
}

/** Sums `need(disk)` per pool/directory and returns every group that does not fit. */
export function spaceShortages(
  disks: DomainDiskInfo[],
  need: (d: DomainDiskInfo) => number,
): SpaceShortage[] {
  const groups = new Map<string, SpaceShortage>();
  for (const d of disks) {
    if (d.availableBytes === null) continue;
    const where = d.pool ? `pool ${d.pool}` : dirname(d.path);
    const g = groups.get(where) ?? { where, neededBytes: 0, availableBytes: d.availableBytes, disks: [] };
    g.neededBytes += need(d);
    g.disks.push(d.target);
    groups.set(where, g);
  }
  return [...groups.values()].filter((g) => g.neededBytes > g.availableBytes);
}

export const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;

/** What the clone, template, snapshot and cloud-init features share: state checks through the one
 * state table, the VM's host, and typed commands whose failures become domain errors. */
@Injectable()
export class VmOpsSupport {
  constructor(
    @InjectRepository(VmEntity) readonly vms: Repository<VmEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
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
    if (!verdict.allowed)
      throw invalidState(`cannot ${action} VM ${vm.name}: ${verdict.reason}`, [
        { reason: verdict.reason, ref: refOf(ObjectType.Vm, vm) },
      ]);
  }

  /** The host the VM is defined on, which must be up (409 / 503 otherwise). */
  async hostOf(vm: VmEntity): Promise<HostEntity> {
    if (!vm.hostId)
      throw invalidState(`VM ${vm.name} is not defined on any host`, [
        { reason: 'no host', ref: refOf(ObjectType.Vm, vm) },
      ]);
    const host = await this.hosts.findOneBy({ id: vm.hostId });
    if (!host) throw notFound(ObjectType.Host, vm.hostId);
    if (host.status !== HostStatus.Up)
      throw new DomainError(
        ErrorCode.HostUnavailable,
        `host ${host.name} of VM ${vm.name} is ${host.status}`,
        [{ reason: `host is ${host.status}`, ref: refOf(ObjectType.Host, host) }],
      );
    return host;
  }

  async send<N extends CommandName>(
    hostId: string,
    name: N,
    payload: CommandPayload<N>,
    options: SendOptions = {},
  ): Promise<CommandResult<N>> {
    try {
      return await this.bus.send(hostId, name, payload, options);
    } catch (e) {
      throw fromAgentError(e);
    }
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
