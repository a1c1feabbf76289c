import type { CommandResult, DomainSnapshot } from '@kelpie/shared-types';
import type { InventorySync } from '../../inventory/inventory-sync';
import { parseStateWord, type LibvirtClient, type PowerAction } from '../../libvirt/operations';
import { VirshError } from '../../libvirt/process';
import { AgentError } from '../../errors/agent-error';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const isNotFound = (e: unknown) => e instanceof VirshError && e.code === 'domain_not_found';

/** The agent's implementation of every command in COMMANDS. The catalog's `idempotent: true`
 * commands are made idempotent here (undefine of a missing domain, destroy of a stopped one,
 * suspend of a paused one, resume of a running one succeed). */
export class CommandHandlers {
  constructor(
    private readonly libvirt: LibvirtClient,
    private readonly inventory: Pick<InventorySync, 'fullSync'>,
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
    const deadline = Date.now() + p.timeoutMs;
    let lastProgress = 0;
    while (Date.now() < deadline) {
      try {
        const st = await this.libvirt.domstate(p.uuid);
        if (st.state === 'shutoff') return this.snapshotAfter(p.uuid, before, 'shutdown');
      } catch (e) {
        if (isNotFound(e)) return this.snapshotAfter(p.uuid, before, 'shutdown');
        throw e;
      }
      if (Date.now() - lastProgress > 2000) {
        lastProgress = Date.now();
        const pct = Math.min(
          99,
          Math.round(((p.timeoutMs - (deadline - Date.now())) / Math.max(1, p.timeoutMs)) * 100),
        );
        await ctx.progress(pct, 'waiting for the guest to shut down');
      }
      await sleep(500);
    }
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
  async reboot(p: ParsedPayload<'vm.reboot'>, _ctx: CommandContext): Promise<DomainSnapshot> {
    return this.act('reboot', p.uuid);
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
