import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** DEV_ONLY_COMMANDS: registered only when KELPIE_DEV_COMMANDS=on (tests, never an enrolled agent).
 * Defining a domain from raw XML would let whoever can enqueue a command run anything QEMU can. */
export class DevHandlers {
  constructor(private readonly libvirt: LibvirtClient) {}

  @OnCommand('host.sleep')
  async sleep(p: ParsedPayload<'host.sleep'>, _ctx: CommandContext): Promise<CommandResult<'host.sleep'>> {
    await new Promise<void>((r) => setTimeout(r, p.ms));
    return { ok: true };
  }

  @OnCommand('vm.define')
  async define(p: ParsedPayload<'vm.define'>, ctx: CommandContext): Promise<CommandResult<'vm.define'>> {
    const { name } = await this.libvirt.define(p.xml);
    ctx.log.info({ domain: name }, 'domain defined');
    return this.libvirt.snapshot(name);
  }
}
