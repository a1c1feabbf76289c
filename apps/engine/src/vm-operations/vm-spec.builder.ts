import {
  DiskFormat,
  Firmware,
  HostCapabilities,
  SwitchType,
  VmNicSpec,
  NicBandwidthLimit,
  VmSpec,
  VmSpecInput,
} from '@kelpie/shared-types';
import { DiskEntity } from '../disks/disk.entity';
import type { NetworkDiskSource } from './disk-sources';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { qosOf } from '../networks/vnic-profile.response';
import type { VnicProfileEntity } from '../networks/vnic-profile.entity';
import { VmEntity } from '../vms/vm.entity';

/** The libvirt pool that serves a storage domain on a host (an existing pool on the same directory is
 * reused by the agent, e.g. the lab's `kelpie-shared`). */
export { poolNameFor } from '../storage-domains/pool-name';

/** Volume (file) name of a disk inside its storage domain. */
export const volumeNameFor = (d: Pick<DiskEntity, 'id' | 'format'>) =>
  `${d.id}.${d.format === DiskFormat.Raw ? 'img' : 'qcow2'}`;

/** What `volume.delete` needs to remove a disk's data: its volume and, when its external snapshots
 * stacked overlays next to it, the image it writes to (`top`): the host deletes the whole chain
 * from there down to the volume, middle overlays included. */
export function volumeDeletionFor(d: Pick<DiskEntity, 'id' | 'format' | 'volumePath' | 'activeImagePath'>): {
  name: string;
  top?: string;
} {
  const dir = (path: string) => path.slice(0, path.lastIndexOf('/'));
  const top = d.activeImagePath;
  return top && dir(top) === dir(d.volumePath)
    ? { name: volumeNameFor(d), top: top.slice(top.lastIndexOf('/') + 1) }
    : { name: volumeNameFor(d) };
}

/** Where the serial console is logged on the VM's host (virtlogd appends). */
export const serialLogPathFor = (vmId: string) => `/var/log/libvirt/qemu/${vmId}.serial.log`;

export const CDROM_TARGET = 'hdc';

/** The image a disk's domain opens: the overlay an external snapshot put on its volume when there
 * is one (qcow2, backed by the volume, so nothing written since the snapshot is left out), else the
 * volume itself. */
export const imageOf = (
  d: Pick<DiskEntity, 'volumePath' | 'activeImagePath' | 'format'>,
): { path: string; format: DiskFormat } =>
  d.activeImagePath
    ? { path: d.activeImagePath, format: DiskFormat.Qcow2 }
    : { path: d.volumePath, format: d.format };

export const virtTypeOf = (caps: HostCapabilities | null): 'kvm' | 'qemu' =>
  caps?.virtualization === 'kvm' ? 'kvm' : 'qemu';

/** A profile's QoS as libvirt's `<bandwidth>` (absent when it limits nothing). */
export function bandwidthOf(profile: VnicProfileEntity): VmNicSpec['bandwidth'] {
  const limit = (dir: 'inbound' | 'outbound'): NicBandwidthLimit | undefined => {
    const q = qosOf(profile, dir);
    if (!q) return undefined;
    return {
      average: q.averageKiBps,
      ...(q.peakKiBps !== null ? { peak: q.peakKiBps } : {}),
      ...(q.burstKiB !== null ? { burst: q.burstKiB } : {}),
    };
  };
  const inbound = limit('inbound');
  const outbound = limit('outbound');
  if (!inbound && !outbound) return undefined;
  return { ...(inbound ? { inbound } : {}), ...(outbound ? { outbound } : {}) };
}

/** A VM NIC as its host plugs it: into the network's bridge, through Open vSwitch (as an access port
 * of the network's VLAN) when the cluster's switch type is OVS, shaped by its profile's QoS; a profile
 * with port mirroring marks the OVS port (or, on a Linux bridge, names the tap) so its host mirrors the
 * network to it. */
export function nicSpecOf(
  nic: Pick<NicEntity, 'id' | 'mac' | 'model'> & Partial<Pick<NicEntity, 'linkUp'>>,
  net: Pick<LogicalNetworkEntity, 'bridge' | 'vlanId'>,
  switchType: SwitchType,
  profile?: VnicProfileEntity,
): VmNicSpec {
  const bandwidth = profile ? bandwidthOf(profile) : undefined;
  return {
    id: nic.id,
    mac: nic.mac,
    bridge: net.bridge,
    model: nic.model,
    ...(switchType === SwitchType.Ovs
      ? { openvswitch: { vlanId: net.vlanId, ...(profile?.portMirroring ? { portMirroring: true } : {}) } }
      : profile?.portMirroring
        ? { portMirroring: true }
        : {}),
    ...(bandwidth ? { bandwidth } : {}),
    ...(nic.linkUp === false ? { linkUp: false } : {}),
  };
}

/** The engine's records of a VM → the typed spec the agent turns into domain XML. */
export function buildVmSpec(
  vm: VmEntity,
  disks: DiskEntity[],
  nics: NicEntity[],
  networks: Map<string, LogicalNetworkEntity>,
  caps: HostCapabilities | null,
  switchType: SwitchType = SwitchType.LinuxBridge,
  profiles: Map<string, VnicProfileEntity> = new Map(),
  /** Disks that are no file (RBD images, LUNs), by disk id: where the VM opens them. */
  networkSources: Map<string, NetworkDiskSource> = new Map(),
): VmSpec {
  const attached = disks.filter((d) => d.targetDev).sort((a, b) => a.targetDev!.localeCompare(b.targetDev!));
  const bootDisk = attached.find((d) => d.bootable) ?? attached[0];
  const input: VmSpecInput = {
    uuid: vm.id,
    name: vm.name,
    virtType: virtTypeOf(caps),
    vcpus: vm.vcpus,
    memoryMib: vm.memoryMib,
    maxMemoryMib: vm.maxMemoryMib,
    disks: attached.map((d) => ({
      id: d.id,
      ...(networkSources.has(d.id) ? { ...networkSources.get(d.id), format: d.format } : imageOf(d)),
      bus: d.bus,
      cache: d.cache,
      targetDev: d.targetDev!,
      ...(d === bootDisk ? { bootOrder: 1 } : {}),
    })),
    nics: [...nics]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => nicSpecOf(n, networks.get(n.networkId)!, switchType, profiles.get(n.profileId))),
    cdrom: { targetDev: CDROM_TARGET, isoPath: vm.cdromIsoPath },
    boot: vm.boot ?? { kind: 'disk' },
    graphicsVnc: vm.graphicsVnc,
    serialLogPath: serialLogPathFor(vm.id),
    machine: vm.machineType,
    firmware: vm.firmware === Firmware.Uefi ? { kind: 'uefi', secureBoot: vm.secureBoot } : { kind: 'bios' },
    bootOrder: vm.bootOrder,
    ...(vm.watchdogAction ? { watchdog: { model: 'i6300esb', action: vm.watchdogAction } } : {}),
  };
  return VmSpec.parse(input);
}
