import type { CommandResult } from '@kelpie/shared-types';
import { ConsoleOperations, SerialBridge, libvirtTimestamp } from '../../libvirt/operations/console';
import type { LibvirtClient } from '../../libvirt/operations';
import { AgentError } from '../agent-error';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Console commands (issue 8): one-time VNC passwords and one-shot serial console bridges.
 * Passwords and tokens are never logged. */
export class ConsoleHandlers {
  private readonly ops: ConsoleOperations;
  private readonly bridges = new Set<SerialBridge>();

  constructor(private readonly libvirt: LibvirtClient) {
    this.ops = new ConsoleOperations(libvirt);
  }

  @OnCommand('vm.set-graphics-password')
  async setGraphicsPassword(
    p: ParsedPayload<'vm.set-graphics-password'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.set-graphics-password'>> {
    // Two virsh processes in all (each costs 100-300 ms on a busy host): no separate domstate.
    const { running, vnc: live } = await this.ops.liveVncGraphics(p.uuid);
    if (!running) throw new AgentError('operation_invalid', 'the domain is not running');
    if (!live || !live.port) throw new AgentError('operation_invalid', 'the domain has no live VNC display');
    const validTo = new Date(Math.ceil(Date.now() / 1000) * 1000 + p.validForSeconds * 1000);
    await this.ops.setVncPassword(p.uuid, live, p.password, validTo);
    ctx.log.info({ domain: p.uuid, port: live.port, validTo: validTo.toISOString() }, 'VNC password set');
    return { graphicsPort: live.port, validTo: `${libvirtTimestamp(validTo)}Z` };
  }

  @OnCommand('vm.open-serial-console')
  async openSerialConsole(
    p: ParsedPayload<'vm.open-serial-console'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.open-serial-console'>> {
    await this.assertRunning(p.uuid);
    const pty = await this.ops.serialPty(p.uuid);
    if (!pty) throw new AgentError('operation_invalid', 'the domain has no serial console on a pty');
    const bridge = new SerialBridge({
      ptyPath: pty.path,
      token: p.token,
      validForMs: p.validForSeconds * 1000,
      log: ctx.log,
    });
    const port = await bridge.listen();
    this.bridges.add(bridge);
    // A session ends the bridge; an unused one is forgotten once its listener expired.
    setTimeout(() => this.bridges.delete(bridge), p.validForSeconds * 1000 + 1000).unref();
    ctx.log.info({ domain: p.uuid, port, pty: pty.path }, 'serial console listener open');
    return { port, pty: pty.path };
  }

  /** Ends every open serial bridge (agent shutdown). */
  closeAll(): void {
    for (const b of this.bridges) b.close();
    this.bridges.clear();
  }

  private async assertRunning(uuid: string): Promise<void> {
    const { state } = await this.libvirt.domstate(uuid);
    if (state !== 'running' && state !== 'paused' && state !== 'blocked')
      throw new AgentError('operation_invalid', `the domain is ${state}, not running`);
  }
}
