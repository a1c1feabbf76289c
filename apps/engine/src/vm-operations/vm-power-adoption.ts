import { CommandName, ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { DomainPresence, isRunning } from '../agents/domain-probe';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { POWER_REDEFINED_PHASE, POWER_SENT_PHASE } from './vm-power.service';

/** Per power task: the agent command it sends and what libvirt shows once it is done. */
const POWER: Record<string, { command: CommandName; reached: (p: DomainPresence) => boolean }> = {
  'vm.start': { command: 'vm.start', reached: isRunning },
  'vm.resume': { command: 'vm.resume', reached: (p) => p.state === 'running' },
  'vm.suspend': { command: 'vm.suspend', reached: (p) => p.state === 'paused' },
  'vm.shutdown': { command: 'vm.shutdown', reached: (p) => p.state === 'shutoff' },
  'vm.poweroff': { command: 'vm.destroy', reached: (p) => p.state === 'shutoff' },
  // A restarted guest runs before and after: only the command's own outcome tells it happened.
  'vm.reboot': { command: 'vm.reboot', reached: () => false },
  'vm.reset': { command: 'vm.reset', reached: () => false },
};
const RESTARTS = new Set(['vm.reboot', 'vm.reset']);
const POWER_RECHECK_MS = 1_000;
/** Beyond the action's own grace period (a guest shutdown), how long libvirt gets to show the end. */
const POWER_SETTLE_MS = 20_000;

/**
 * Adopts power tasks of a dead engine. The command's job (sent under `<task>-power`) decides when
 * Redis or the agent's journal still has its outcome: failed → failed; a reboot/reset completed →
 * succeeded. Otherwise libvirt decides: the action's end state shown within grace + 20 s →
 * succeeded, else failed with the state shown. A reboot/reset whose outcome is lost while the VM
 * runs cannot be told from a VM that never restarted: interrupted, saying so.
 */
@Injectable()
export class VmPowerAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
  ) {}

  onModuleInit(): void {
    for (const type of Object.keys(POWER)) this.tasks.registerAdopter(type, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { command, reached } = POWER[ctx.task.type]!;
    const { vm, host } = await this.probe.target(ctx, cp);
    const sent = [POWER_SENT_PHASE, POWER_REDEFINED_PHASE].some(
      (phase) => cp.phase === phase || cp.phase === `${phase}-sent`,
    );
    const done = sent ? await this.probe.stepResult(host, command, cp.jobId) : undefined;
    if (done && RESTARTS.has(ctx.task.type))
      return { status: vm.status, hostId: host.id, adoptedState: (done as { state?: string }).state };
    if (RESTARTS.has(ctx.task.type)) {
      const presence = await this.probe.domain(vm, host);
      if (sent && isRunning(presence))
        throw new TaskUnknowable(
          `the engine stopped after sending ${command} to ${host.name} and the command's outcome is lost; VM ${vm.name} runs, whether it restarted cannot be told: check the guest`,
        );
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped ${sent ? 'after sending' : 'before sending'} ${command} and libvirt on ${host.name} shows VM ${vm.name} ${presence.state}`,
      );
    }
    const graceMs = typeof cp.graceMs === 'number' ? cp.graceMs : 0;
    const deadline = Date.now() + (sent ? graceMs : 0) + POWER_SETTLE_MS;
    let presence = await this.probe.domain(vm, host);
    while (!reached(presence) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POWER_RECHECK_MS));
      presence = await this.probe.domain(vm, host);
    }
    if (reached(presence)) return { status: vm.status, hostId: host.id, adoptedState: presence.state };
    if (!sent)
      throw new TaskUnknowable(
        `the engine stopped while placing VM ${vm.name} on ${host.name} (step "${cp.phase}") and libvirt shows it ${presence.state}; check its disks and start it again`,
      );
    throw new DomainError(
      ErrorCode.Unprocessable,
      `the engine stopped after sending ${ctx.task.type} and libvirt on ${host.name} shows VM ${vm.name} ${presence.state}`,
    );
  }
}
