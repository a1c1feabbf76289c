import type { CommandResult } from '@kelpie/shared-types';
import {
  ConsoleOperations,
  type LiveGraphics,
  SerialBridge,
  libvirtTimestamp,
  withoutPassword,
} from '../../libvirt/operations/console';
import type { LibvirtClient } from '../../libvirt/operations';
import { VirshError } from '../../libvirt/process';
import { AgentError } from '../../errors/agent-error';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

const MAX_KNOWN_DISPLAYS = 4096;

/** Console commands: one-time VNC passwords and one-shot serial console bridges.
 * Passwords and tokens are never logged. */
export class ConsoleHandlers {
  private readonly ops: ConsoleOperations;
  private readonly bridges = new Set<SerialBridge>();
  /** The last VNC element seen per domain, without password attributes. Port, listens and keymap
   * cannot change while a QEMU runs, so the next ticket needs only update-device (one virsh
   * process instead of two); after a restart the inventory's port differs or libvirt refuses the
   * element, and the display is read again. */
  private readonly displays = new Map<string, LiveGraphics>();

  constructor(private readonly libvirt: LibvirtClient) {
    this.ops = new ConsoleOperations(libvirt);
  }

  @OnCommand('vm.set-graphics-password')
  async setGraphicsPassword(
    p: ParsedPayload<'vm.set-graphics-password'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.set-graphics-password'>> {
    const validTo = new Date(Math.ceil(Date.now() / 1000) * 1000 + p.validForSeconds * 1000);
    const known = this.displays.get(p.uuid);
    let live: LiveGraphics | null = null;
    if (known && known.port === p.graphicsPort) {
      try {
        await this.ops.setVncPassword(p.uuid, known, p.password, validTo);
        live = known;
      } catch (e) {
        if (e instanceof VirshError && e.code === 'timeout') throw e;
        this.displays.delete(p.uuid); // stopped, restarted differently, gone: read it again below
      }
    }
    if (!live) {
      live = await this.readDisplay(p.uuid);
      await this.ops.setVncPassword(p.uuid, live, p.password, validTo);
    }
    ctx.log.info({ domain: p.uuid, port: live.port, validTo: validTo.toISOString() }, 'VNC password set');
    return { graphicsPort: live.port, validTo: `${libvirtTimestamp(validTo)}Z` };
  }

  /** The running domain's VNC display from its live XML (one virsh process, no separate domstate),
   * remembered without its password for the next ticket. */
  private async readDisplay(uuid: string): Promise<LiveGraphics> {
    const { running, vnc } = await this.ops.liveVncGraphics(uuid);
    if (!running) throw new AgentError('operation_invalid', 'the domain is not running');
    if (!vnc || !vnc.port) throw new AgentError('operation_invalid', 'the domain has no live VNC display');
    const display = withoutPassword(vnc);
    this.displays.delete(uuid);
    this.displays.set(uuid, display);
    if (this.displays.size > MAX_KNOWN_DISPLAYS) this.displays.delete(this.displays.keys().next().value!);
    return display;
  }

  @OnCommand('vm.open-serial-console')
  async openSerialConsole(
    p: ParsedPayload<'vm.open-serial-console'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.open-serial-console'>> {
    const { running, pty } = await this.ops.serialPty(p.uuid);
    if (!running) throw new AgentError('operation_invalid', 'the domain is not running');
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
}
