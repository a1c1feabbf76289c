import type { NicBandwidth, NicBandwidthLimit } from '@kelpie/shared-types';
import { VirshError, type VirshRunner } from '../process';
import { resizeTcgRamPad } from '../xml/tcg-ram-pad';
import { withXmlFile } from './xml-file';
import { ovsInterfaceIdOf } from '../mapping/nic-xml';

/** libvirt's answers when the device to detach is not there (any more). */
const DEVICE_GONE = /device not found|no (disk|device) found|matching device/i;

/** Live/persistent edits of a defined domain: devices, media, memory, name. */
export class VmDeviceOperations {
  /** `releaseTimeoutMs`: how long a guest gets to let go of a live device (PCI hot-unplug). */
  constructor(
    private readonly virsh: VirshRunner,
    private readonly releaseTimeoutMs = 30_000,
  ) {}

  private scope(live: boolean): string[] {
    return live ? ['--live', '--config'] : ['--config'];
  }

  async attachDevice(uuid: string, xml: string, live: boolean): Promise<void> {
    await withXmlFile(xml, (file) =>
      this.virsh.run(['attach-device', '--domain', uuid, '--file', file, ...this.scope(live)]),
    );
  }

  /**
   * Removes a device from the definition and, when `live`, from the running guest. libvirt only
   * asks the guest to let go of a live device, so `released` names how to see it gone: the guest's
   * release is awaited before the definition changes, and a guest that never lets go fails the call
   * with the device still defined (the engine's record and the next boot agree with the guest).
   */
  async detachDevice(uuid: string, xml: string, live: boolean, released?: DeviceRelease): Promise<void> {
    // A device already gone (a repeated command) is what the caller wants: each step tolerates it.
    const detach = (scope: string[]) =>
      withXmlFile(xml, (file) =>
        this.virsh.run(['detach-device', '--domain', uuid, '--file', file, ...scope]),
      ).catch((e: unknown) => {
        if (!(e instanceof VirshError && DEVICE_GONE.test(e.message))) throw e;
      });
    if (live && released) {
      await detach(['--live']);
      await this.awaitRelease(uuid, released);
      live = false;
    }
    await detach(this.scope(live));
  }

  /** Polls the running domain's device list until the device is gone from it. */
  private async awaitRelease(uuid: string, device: DeviceRelease): Promise<void> {
    const timeoutMs = this.releaseTimeoutMs;
    const list = device.kind === 'nic' ? 'domiflist' : 'domblklist';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await this.virsh.run([list, '--domain', uuid]);
      if (!listsDevice(stdout, device)) return;
      if (Date.now() > deadline)
        throw new Error(
          `the guest did not release ${device.kind === 'nic' ? 'NIC' : 'disk'} ${device.id} within ` +
            `${Math.round(timeoutMs / 1000)} s (its OS may lack PCI hot-unplug support or the device is busy); ` +
            `it stays attached and defined`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The NIC whose MAC the XML names gets the XML's bridge, VLAN, bandwidth and link state. */
  async updateDevice(uuid: string, xml: string, live: boolean): Promise<void> {
    await withXmlFile(xml, (file) =>
      this.virsh.run(['update-device', '--domain', uuid, '--file', file, ...this.scope(live)]),
    );
  }

  /** Unplugs the NIC from the running guest only, and waits until libvirt no longer lists it (the
   * guest acknowledges an unplug: it is not instant). */
  async unplugNicLive(uuid: string, xml: string, mac: string): Promise<void> {
    await withXmlFile(xml, (file) =>
      this.virsh.run(['detach-device', '--domain', uuid, '--file', file, '--live']),
    );
    await this.awaitRelease(uuid, { kind: 'nic', id: mac });
  }

  async plugNicLive(uuid: string, xml: string): Promise<void> {
    await withXmlFile(xml, (file) =>
      this.virsh.run(['attach-device', '--domain', uuid, '--file', file, '--live']),
    );
  }

  /** The OVS port id (`<virtualport><parameters interfaceid>`) of the NIC with this MAC, live or defined. */
  async ovsInterfaceId(uuid: string, mac: string, live: boolean): Promise<string | undefined> {
    const args = ['dumpxml', '--domain', uuid, ...(live ? [] : ['--inactive'])];
    return ovsInterfaceIdOf((await this.virsh.run(args)).stdout, mac);
  }

  /** domif-setlink takes one scope at a time: the running guest first, then the definition. */
  async setLink(uuid: string, mac: string, up: boolean, live: boolean): Promise<void> {
    const args = ['domif-setlink', '--domain', uuid, '--interface', mac, '--state', up ? 'up' : 'down'];
    if (live) await this.virsh.run(args);
    await this.virsh.run([...args, '--config']);
  }

  /** `domiftune` per direction (average,peak,burst; `0` clears a direction), the running guest first
   * and then the definition, as for the link. */
  async setBandwidth(uuid: string, mac: string, bandwidth: NicBandwidth, live: boolean): Promise<void> {
    const args = ['domiftune', '--domain', uuid, '--interface', mac, ...domiftuneArgs(bandwidth)];
    if (live) await this.virsh.run([...args, '--live']);
    await this.virsh.run([...args, '--config']);
  }

  async changeMedia(uuid: string, targetDev: string, isoPath: string | null, live: boolean): Promise<void> {
    const args = ['change-media', '--domain', uuid, '--path', targetDev];
    if (isoPath) args.push('--source', isoPath, '--update');
    else args.push('--eject');
    args.push(...this.scope(live));
    await this.virsh.run(args);
  }

  async setMemoryLive(uuid: string, memoryMib: number): Promise<void> {
    await this.virsh.run(['setmem', '--domain', uuid, '--size', `${memoryMib}M`, '--live']);
  }

  async setVcpusConfig(uuid: string, vcpus: number): Promise<void> {
    await this.virsh.run(['setvcpus', '--domain', uuid, '--count', String(vcpus), '--config', '--maximum']);
    await this.virsh.run(['setvcpus', '--domain', uuid, '--count', String(vcpus), '--config']);
  }

  /** Current and maximum memory of the persistent definition, in the order libvirt accepts. */
  async setMemoryConfig(
    uuid: string,
    memoryMib: number,
    maxMemoryMib: number,
    currentMaxMib: number,
  ): Promise<void> {
    const setMax = () =>
      this.virsh.run(['setmaxmem', '--domain', uuid, '--size', `${maxMemoryMib}M`, '--config']);
    const setCur = () => this.virsh.run(['setmem', '--domain', uuid, '--size', `${memoryMib}M`, '--config']);
    if (maxMemoryMib >= currentMaxMib) {
      await setMax();
      await setCur();
    } else {
      await setCur();
      await setMax();
    }
    if (maxMemoryMib !== currentMaxMib) await this.resizeTcgRamPad(uuid, maxMemoryMib);
  }

  /** A TCG domain's padded RAM backend (tcg-ram-pad.ts) follows its maximum memory. The definition is
   * read with its secrets (VNC password) so redefining it keeps them. */
  private async resizeTcgRamPad(uuid: string, maxMemoryMib: number): Promise<void> {
    const { stdout } = await this.virsh.run(['dumpxml', '--domain', uuid, '--inactive', '--security-info']);
    const resized = resizeTcgRamPad(stdout, maxMemoryMib);
    if (resized) await withXmlFile(resized, (file) => this.virsh.run(['define', '--file', file]));
  }

  async rename(uuid: string, newName: string): Promise<void> {
    await this.virsh.run(['domrename', '--domain', uuid, '--new-name', newName]);
  }
}

/** A live device as the domain's device lists name it: a NIC by MAC, a disk by target (vdb). */
export interface DeviceRelease {
  kind: 'nic' | 'disk';
  id: string;
}

/** Whether `domiflist` (MAC column) or `domblklist` (Target column) output lists the device. */
export function listsDevice(listing: string, device: DeviceRelease): boolean {
  const wanted = device.id.toLowerCase();
  return listing
    .toLowerCase()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .some((cols) => (device.kind === 'nic' ? cols.includes(wanted) : cols[0] === wanted));
}

/** `--inbound average[,peak[,burst]]` and `--outbound …`; a direction without a limit is cleared. */
export function domiftuneArgs(bandwidth: NicBandwidth): string[] {
  const dir = (l: NicBandwidthLimit | undefined) =>
    l ? [l.average, l.peak ?? '', l.burst ?? ''].join(',').replace(/,+$/, '') : '0';
  return ['--inbound', dir(bandwidth.inbound), '--outbound', dir(bandwidth.outbound)];
}
