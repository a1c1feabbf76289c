import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { VmDeviceOperations } from '../../libvirt/operations/vm-devices';
import { buildNicXml } from '../../libvirt/xml/domain-builder';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Changes of a VM NIC that stays plugged: its network/profile (a new `<interface>` for the same MAC)
 * and its link state. */
export class VmNicHandlers {
  private readonly devices: VmDeviceOperations;

  constructor(libvirt: LibvirtClient) {
    this.devices = new VmDeviceOperations(libvirt.virsh);
  }

  @OnCommand('vm.update-nic')
  async updateNic(
    p: ParsedPayload<'vm.update-nic'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.update-nic'>> {
    const xml = buildNicXml(p.nic);
    await this.devices.updateDevice(p.uuid, xml, p.live);
    ctx.log.info({ uuid: p.uuid, mac: p.nic.mac, bridge: p.nic.bridge, live: p.live }, 'NIC updated');
    return { xml };
  }

  @OnCommand('vm.set-nic-link')
  async setNicLink(
    p: ParsedPayload<'vm.set-nic-link'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.set-nic-link'>> {
    await this.devices.setLink(p.uuid, p.mac, p.up, p.live);
    ctx.log.info({ uuid: p.uuid, mac: p.mac, up: p.up, live: p.live }, 'NIC link set');
    return { ok: true };
  }
}
