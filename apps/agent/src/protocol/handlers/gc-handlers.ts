import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { KelpieResources } from '../../libvirt/operations/kelpie-resources';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Garbage collection (GC_COMMANDS): the agent only lists; the engine decides and removes through
 * the ordinary `vm.undefine` and `volume.delete` commands. */
export class GcHandlers {
  private readonly resources: KelpieResources;

  constructor(libvirt: LibvirtClient) {
    this.resources = new KelpieResources(libvirt);
  }

  @OnCommand('gc.list')
  async list(p: ParsedPayload<'gc.list'>, _ctx: CommandContext): Promise<CommandResult<'gc.list'>> {
    const [volumes, { domains, diskSources }] = await Promise.all([
      this.resources.volumes(p.paths),
      this.resources.domains(),
    ]);
    return { volumes, domains, diskSources };
  }
}
