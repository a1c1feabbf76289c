import { runFenceIpmilan, type FenceAction, type FenceRun, type IpmiTarget } from '@kelpie/host-probe';
import type { CommandResult } from '@kelpie/shared-types';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

type RunFence = (target: IpmiTarget, action: FenceAction, signal: AbortSignal) => Promise<FenceRun>;

/** Fencing by proxy: this host runs the fence agent against another host's BMC for the engine (the
 * same runner the engine uses: options on stdin, the password only in ipmitool's environment). */
export class FenceHandlers {
  constructor(private readonly run: RunFence = runFenceIpmilan) {}

  @OnCommand('host.fence')
  async fence(p: ParsedPayload<'host.fence'>, ctx: CommandContext): Promise<CommandResult<'host.fence'>> {
    const { agent, password, ...where } = p.target;
    // Said in the agent's log: which BMC this host was asked to act on, never the password.
    ctx.log.warn(
      { agent, action: p.action, bmc: `${where.username}@${where.address}:${where.port}` },
      'fence agent run by proxy for the engine',
    );
    const run = await this.run({ ...where, password }, p.action, AbortSignal.timeout(25_000));
    ctx.log.warn({ action: p.action, ok: run.ok, detail: run.detail }, 'fence agent by proxy done');
    return run;
  }
}
