import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { VmDeviceOperations } from '../../libvirt/operations/vm-devices';
import { VirshError } from '../../libvirt/process';
import { buildNicXml } from '../../libvirt/xml/domain-builder';

/** libvirt's refusal of an in-place change of a running NIC (e.g. an OVS port's VLAN before libvirt 9.x,
 * or the tap name of a Linux bridge NIC whose profile turned port mirroring on or off). */
const CANNOT_CHANGE_LIVE = /unable to change (config|vlan) on|cannot modify network device tap name/i;
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
    const interfaceId = p.nic.openvswitch
      ? await this.devices.ovsInterfaceId(p.uuid, p.nic.mac, p.live)
      : undefined;
    const xml = buildNicXml(p.nic, interfaceId);
    try {
      await this.devices.updateDevice(p.uuid, xml, p.live);
    } catch (e) {
      if (!(p.live && e instanceof VirshError && CANNOT_CHANGE_LIVE.test(e.message))) throw e;
      // Definition first: whatever happens to the running guest, its next start has the new NIC.
      await this.devices.updateDevice(p.uuid, xml, false);
      await this.devices.unplugNicLive(p.uuid, xml, p.nic.mac);
      await this.devices.plugNicLive(p.uuid, xml);
      ctx.log.info({ uuid: p.uuid, mac: p.nic.mac, bridge: p.nic.bridge }, 'NIC replugged');
      return { xml, replugged: true };
    }
    ctx.log.info({ uuid: p.uuid, mac: p.nic.mac, bridge: p.nic.bridge, live: p.live }, 'NIC updated');
    return { xml, replugged: false };
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

  @OnCommand('vm.set-nic-bandwidth')
  async setNicBandwidth(
    p: ParsedPayload<'vm.set-nic-bandwidth'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.set-nic-bandwidth'>> {
    await this.devices.setBandwidth(p.uuid, p.mac, p.bandwidth, p.live);
    ctx.log.info({ uuid: p.uuid, mac: p.mac, bandwidth: p.bandwidth, live: p.live }, 'NIC bandwidth set');
    return { ok: true };
  }
}
