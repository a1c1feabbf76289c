import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { cloneDomain } from '../../libvirt/operations/clone';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Full and thin clones of stopped domains. */
export class CloneHandlers {
  constructor(private readonly libvirt: LibvirtClient) {}

  @OnCommand('vm.clone')
  async clone(p: ParsedPayload<'vm.clone'>, ctx: CommandContext): Promise<CommandResult<'vm.clone'>> {
    const res = await cloneDomain(this.libvirt, p, (pct, msg) => void ctx.progress(pct, msg), ctx.signal);
    ctx.log.info({ source: p.sourceUuid, clone: p.uuid, disks: res.disks.length }, 'domain cloned');
    return { domain: await this.libvirt.snapshot(p.uuid), macs: res.macs, disks: res.disks };
  }
}
