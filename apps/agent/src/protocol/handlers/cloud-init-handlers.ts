import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { attachCdrom, buildSeedIso } from '../../libvirt/operations/cloud-init';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** cloud-init NoCloud seed ISOs, built on this host and attached as a CD-ROM. */
export class CloudInitHandlers {
  constructor(private readonly libvirt: LibvirtClient) {}

  @OnCommand('vm.cloud-init.attach')
  async attach(
    p: ParsedPayload<'vm.cloud-init.attach'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.cloud-init.attach'>> {
    // Fail before writing anything when the domain does not exist.
    await this.libvirt.domstate(p.uuid);
    await ctx.progress(20, 'building the seed ISO');
    const sizeBytes = await buildSeedIso(p.isoPath, p);
    await ctx.progress(70, 'attaching the seed ISO');
    const { target, live } = await attachCdrom(this.libvirt, p.uuid, p.isoPath);
    ctx.log.info({ iso: p.isoPath, target, live }, 'cloud-init seed attached');
    return { isoPath: p.isoPath, sizeBytes, target, live };
  }
}
