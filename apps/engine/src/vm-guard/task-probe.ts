import {
  CommandName,
  CommandPayload,
  CommandResult,
  DomainMigrationInfo,
  ErrorCode,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { domainOn } from '../agents/domain-probe';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';

/** The job id a task's step is sent under, so that an engine adopting the task can find that job. */
export const stepJobId = (taskId: string, step: string) => `${taskId}-${step}`;

/** What became of a step a dead engine sent: its result, its error, or `unsure` when neither Redis
 * nor the agent's journal kept it (never sent, past retention, the agent died mid-command). */
export type StepOutcome<N extends CommandName> =
  | { state: 'completed'; result: CommandResult<N> }
  | { state: 'failed'; error: AgentCommandError }
  | { state: 'unsure' };

/** The host does not know the domain (TaskProbe.ask). */
export class DomainAbsent extends Error {
  constructor() {
    super('the host does not know the domain');
  }
}

/** Agent errors that say nothing about whether the command took effect. */
const UNSURE_CODES = new Set(['outcome_unknown', 'command_lost', 'timeout']);

/**
 * What the adopters of a dead engine's VM tasks ask the hosts (read-only), each answer one call.
 * A host that cannot answer becomes TaskUnknowable (the task is `interrupted` naming what to check):
 * guessing from the database would be exactly the lie adoption exists to avoid.
 */
@Injectable()
export class TaskProbe {
  constructor(
    private readonly vms: VmRepository,
    private readonly hosts: HostRepository,
    private readonly bus: CommandBus,
  ) {}

  /** The task's VM and the host its checkpoint names. */
  async target(ctx: TaskContext, cp: TaskCheckpoint): Promise<{ vm: VmEntity; host: HostEntity }> {
    const vm = await this.vms.byId(ctx.task.target!.id);
    const host = await this.hosts.find(cp.hostId as string);
    if (!vm || !host)
      throw new TaskUnknowable(
        `the VM or its host is gone since the engine running ${ctx.task.type} stopped; check the host's libvirt`,
      );
    return { vm, host };
  }

  /** libvirt's state of the VM's domain on the host (`absent` when it does not know it). */
  async domain(vm: VmEntity, host: HostEntity): Promise<{ state: string }> {
    const presence = await domainOn(this.bus, host.id, vm.id);
    if ('why' in presence) throw this.silent(vm, host, presence.why);
    return presence;
  }

  /** The domain's devices as its host has them now (live XML of a running domain, else its
   * definition); null when the host does not know the domain. */
  async devices(vm: VmEntity, host: HostEntity): Promise<DomainMigrationInfo | null> {
    try {
      return await this.ask(vm, host, 'vm.migration-info', { uuid: vm.id });
    } catch (e) {
      if (e instanceof DomainAbsent) return null;
      throw e;
    }
  }

  /** A read-only question about the VM to its host. */
  async ask<N extends CommandName>(
    vm: VmEntity,
    host: HostEntity,
    name: N,
    payload: CommandPayload<N>,
  ): Promise<CommandResult<N>> {
    try {
      return await this.bus.send(host.id, name, payload);
    } catch (e) {
      if (e instanceof AgentCommandError && e.code === 'domain_not_found') throw new DomainAbsent();
      throw this.silent(vm, host, (e as Error).message);
    }
  }

  /** The outcome of the step sent under `jobId`: waits while it still runs, never sends it again. */
  async outcome<N extends CommandName>(host: HostEntity, name: N, jobId: string): Promise<StepOutcome<N>> {
    const out = await this.bus.attach(host.id, name, jobId);
    if (out.state === 'missing') return { state: 'unsure' };
    if (out.state === 'failed' && UNSURE_CODES.has(out.error.code)) return { state: 'unsure' };
    return out;
  }

  /** The result of the step sent under `jobId` (undefined when there is no job id or its outcome is
   * lost: the caller asks the host); a step the host refused ends the task as failed, with why. */
  async stepResult<N extends CommandName>(
    host: HostEntity,
    name: N,
    jobId: unknown,
  ): Promise<CommandResult<N> | undefined> {
    if (typeof jobId !== 'string') return undefined;
    const out = await this.outcome(host, name, jobId);
    if (out.state === 'failed')
      throw new DomainError(ErrorCode.Unprocessable, `${name} failed on ${host.name}: ${out.error.message}`);
    return out.state === 'completed' ? out.result : undefined;
  }

  private silent(vm: VmEntity, host: HostEntity, why: string): TaskUnknowable {
    return new TaskUnknowable(
      `the engine running this task stopped and host ${host.name} does not answer (${why}); check VM ${vm.name} there`,
    );
  }
}
