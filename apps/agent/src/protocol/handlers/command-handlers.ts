import type { CommandResult, DomainSnapshot } from '@kelpie/shared-types';
import type { InventorySync } from '../../inventory/inventory-sync';
import { parseStateWord, type LibvirtClient, type PowerAction } from '../../libvirt/operations';
import { VirshError } from '../../libvirt/process';
import { AgentError } from '../../errors/agent-error';
import { hostUsesLockd } from '../../libvirt/operations/lock-manager';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const isNotFound = (e: unknown) => e instanceof VirshError && e.code === 'domain_not_found';

/** How long a reboot on a lockd host waits for the guest's clean shutdown before it gives up. */
export const LOCKD_REBOOT_SHUTDOWN_MS = 120_000;

/** The agent's implementation of every command in COMMANDS. The catalog's `idempotent: true`
 * commands are made idempotent here (undefine of a missing domain, destroy of a stopped one,
 * suspend of a paused one, resume of a running one succeed). */
export class CommandHandlers {
  constructor(
    private readonly libvirt: LibvirtClient,
    private readonly inventory: Pick<InventorySync, 'fullSync'>,
    /** Whether libvirt on this host holds disk leases through virtlockd (read at each reboot). */
    private readonly usesLockd: () => Promise<boolean> = () => hostUsesLockd(),
  ) {}

  @OnCommand('host.refresh')
  async refresh(
    _p: ParsedPayload<'host.refresh'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'host.refresh'>> {
    return { domains: await this.inventory.fullSync('command') };
  }

  @OnCommand('vm.undefine')
  async undefine(
    p: ParsedPayload<'vm.undefine'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.undefine'>> {
    try {
      if (p.onlyIfInactive && (await this.libvirt.snapshot(p.uuid)).state !== 'shutoff')
        throw new AgentError('operation_invalid', `domain ${p.uuid} is not shut off here: not undefined`);
      await this.libvirt.undefine(p.uuid);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    return { ok: true };
  }

  @OnCommand('vm.start')
  async start(p: ParsedPayload<'vm.start'>, _ctx: CommandContext): Promise<DomainSnapshot> {
    await this.libvirt.power('start', p.uuid);
    // Only a defined (persistent) domain can be started, so dominfo has nothing left to tell.
    return this.libvirt.snapshot(p.uuid, { persistent: true });
  }

  @OnCommand('vm.shutdown')
  async shutdown(p: ParsedPayload<'vm.shutdown'>, ctx: CommandContext): Promise<DomainSnapshot> {
    const before = await this.libvirt.snapshot(p.uuid);
    if (before.state === 'shutoff') return before;
    await this.libvirt.power('shutdown', p.uuid);
    if (await this.waitShutoff(p.uuid, p.timeoutMs, ctx, 'waiting for the guest to shut down'))
      return this.snapshotAfter(p.uuid, before, 'shutdown');
    if (p.forceAfterTimeout) {
      ctx.log.info('guest did not shut down in time; destroying');
      return this.destroyQuietly(p.uuid, before);
    }
    throw new AgentError('timeout', `guest did not shut down within ${p.timeoutMs} ms`);
  }

  @OnCommand('vm.destroy')
  async destroy(p: ParsedPayload<'vm.destroy'>, _ctx: CommandContext): Promise<DomainSnapshot> {
    // One dominfo gives the state (destroy of a stopped domain is a no-op) and the persistence: only
    // a transient domain vanishes when destroyed, so only then is a full snapshot needed beforehand.
    const dominfo = await this.libvirt.dominfo(p.uuid);
    if (parseStateWord(dominfo['State'] ?? '') === 'shutoff' || dominfo['Persistent'] !== 'yes') {
      const before = await this.libvirt.snapshot(p.uuid, { dominfo });
      return before.state === 'shutoff' ? before : this.destroyQuietly(p.uuid, before);
    }
    return this.destroyQuietly(p.uuid);
  }

  @OnCommand('vm.reboot')
  async reboot(p: ParsedPayload<'vm.reboot'>, ctx: CommandContext): Promise<DomainSnapshot> {
    if (!(await this.usesLockd())) return this.act('reboot', p.uuid);
    return this.rebootAsShutdownAndStart(p.uuid, ctx);
  }

  @OnCommand('vm.reset')
  async reset(p: ParsedPayload<'vm.reset'>, _ctx: CommandContext): Promise<DomainSnapshot> {
    return this.act('reset', p.uuid);
  }

  @OnCommand('vm.suspend')
  async suspend(p: ParsedPayload<'vm.suspend'>, _ctx: CommandContext): Promise<DomainSnapshot> {
    const before = await this.libvirt.snapshot(p.uuid);
    if (before.state === 'paused') return before;
    return this.act('suspend', p.uuid);
  }

  @OnCommand('vm.resume')
  async resume(p: ParsedPayload<'vm.resume'>, _ctx: CommandContext): Promise<DomainSnapshot> {
    const before = await this.libvirt.snapshot(p.uuid);
    if (before.state === 'running') return before;
    return this.act('resume', p.uuid);
  }

  /**
   * libvirt 9.0's reboot under virtlockd kills the guest (ADR 0045): its fake reboot resumes the CPUs
   * by asking virtlockd again for a lease the domain still holds, is refused, and kills QEMU. So on a
   * lockd host a reboot is the guest's clean ACPI shutdown, then a start: a new QEMU takes the leases
   * afresh. The guest still sees a reboot it was asked for (power button, clean shutdown, boot), but a
   * power cycle rather than a warm reset — the task says so.
   */
  private async rebootAsShutdownAndStart(uuid: string, ctx: CommandContext): Promise<DomainSnapshot> {
    const before = await this.libvirt.snapshot(uuid);
    if (before.state !== 'running')
      throw new AgentError('operation_invalid', `the VM is ${before.state}, not running: nothing to reboot`);
    await ctx.progress(
      5,
      'this host holds disk leases with virtlockd: rebooting as a clean shutdown, then a start (the guest powers off and boots again)',
    );
    await this.libvirt.power('shutdown', uuid);
    const off = await this.waitShutoff(
      uuid,
      LOCKD_REBOOT_SHUTDOWN_MS,
      ctx,
      'reboot: waiting for the guest to shut down',
    );
    if (!off)
      throw new AgentError(
        'timeout',
        `reboot: the guest did not shut down within ${LOCKD_REBOOT_SHUTDOWN_MS / 1000} s after the ACPI power button (its OS ignores it?); it still runs — reset or power it off instead`,
      );
    await ctx.progress(90, 'reboot: the guest shut down; starting it again (new QEMU, leases taken afresh)');
    await this.libvirt.power('start', uuid);
    return this.libvirt.snapshot(uuid, { persistent: true });
  }

  /** Polls until the domain is shut off or gone (true) or `timeoutMs` passed (false), with progress. */
  private async waitShutoff(
    uuid: string,
    timeoutMs: number,
    ctx: CommandContext,
    message: string,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let lastProgress = 0;
    while (Date.now() < deadline) {
      try {
        if ((await this.libvirt.domstate(uuid)).state === 'shutoff') return true;
      } catch (e) {
        if (isNotFound(e)) return true;
        throw e;
      }
      if (Date.now() - lastProgress > 2000) {
        lastProgress = Date.now();
        const pct = Math.min(
          89,
          Math.round(((timeoutMs - (deadline - Date.now())) / Math.max(1, timeoutMs)) * 100),
        );
        await ctx.progress(pct, message);
      }
      await sleep(500);
    }
    return false;
  }

  private async act(action: PowerAction, uuid: string): Promise<DomainSnapshot> {
    await this.libvirt.power(action, uuid);
    return this.libvirt.snapshot(uuid);
  }

  private async destroyQuietly(uuid: string, before?: DomainSnapshot): Promise<DomainSnapshot> {
    try {
      await this.libvirt.power('destroy', uuid);
    } catch (e) {
      // Raced with the guest stopping on its own: fine for an idempotent destroy.
      if (!(e instanceof VirshError && e.code === 'operation_invalid') && !isNotFound(e)) throw e;
    }
    return this.snapshotAfter(uuid, before, 'destroyed');
  }

  /** Fresh snapshot; a transient domain vanishes when it stops, so fall back to `before` as shutoff.
   * Without `before` the caller knew the domain to be persistent. Persistence does not change by
   * stopping, so dominfo is not asked again. */
  private async snapshotAfter(
    uuid: string,
    before: DomainSnapshot | undefined,
    reason: string,
  ): Promise<DomainSnapshot> {
    try {
      return await this.libvirt.snapshot(uuid, { persistent: before?.persistent ?? true });
    } catch (e) {
      if (!isNotFound(e) || !before) throw e;
      const { vncPort: _v, ...rest } = before;
      return { ...rest, state: 'shutoff', reason };
    }
  }
}
