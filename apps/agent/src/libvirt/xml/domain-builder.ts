import { randomBytes } from 'node:crypto';
import {
  type BootDeviceSpec,
  KELPIE_VM_XMLNS,
  OVS_PORT_MIRRORING_PROFILE,
  bridgeMirrorTap,
  type VmCpuSpec,
  type VmDiskSpec,
  type VmNicSpec,
  type VmSpec,
} from '@kelpie/shared-types';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { addTcgRamPad } from './tcg-ram-pad';

/**
 * libvirt XML from Kelpie's typed specs, built with xmlbuilder2 only: every value is set as an
 * attribute or a text node (escaped by the builder), never spliced into markup.
 */

const KIB_PER_MIB = 1024;
/** The SATA unit of a q35 VM's CD-ROM: the last of the first AHCI controller's six ports. */
const SATA_CDROM_UNIT = 5;
type BootDevice = BootDeviceSpec;
/** Free PCI Express root ports a q35 VM keeps for hot-plugged disks and NICs (a PCIe slot takes one
 * device, and libvirt only adds as many ports as the defined devices need). */
const SPARE_PCIE_ROOT_PORTS = 4;
/** Where a VM's UEFI variables live on its host (by id, so a rename keeps them). */
export const NVRAM_DIR = '/var/lib/libvirt/qemu/nvram';
export const nvramPathFor = (uuid: string) => `${NVRAM_DIR}/${uuid}_VARS.fd`;

/** The complete persistent definition of a VM. */
export function buildDomainXml(spec: VmSpec): string {
  const domain = create({ version: '1.0' }).ele('domain', { type: spec.virtType });
  domain.ele('name').txt(spec.name);
  domain.ele('uuid').txt(spec.uuid);
  domain.ele('metadata').ele(KELPIE_VM_XMLNS, 'kelpie:vm').att('id', spec.uuid);
  domain.ele('memory', { unit: 'KiB' }).txt(String(spec.maxMemoryMib * KIB_PER_MIB));
  domain.ele('currentMemory', { unit: 'KiB' }).txt(String(spec.memoryMib * KIB_PER_MIB));
  domain.ele('vcpu', { placement: 'static' }).txt(String(spec.vcpus));

  addOs(domain, spec);
  const features = domain.ele('features');
  features.ele('acpi');
  features.ele('apic');
  if (secureBoot(spec)) features.ele('smm', { state: 'on' });
  if (spec.virtType === 'qemu') {
    // Without a cap a busy TCG guest's translation cache grows to hundreds of MiB.
    features.ele('tcg').ele('tb-cache', { unit: 'MiB' }).txt('16');
  }
  if (spec.cpu) addCpu(domain, spec.cpu);
  domain.ele('clock', { offset: 'utc' });
  domain.ele('on_poweroff').txt('destroy');
  domain.ele('on_reboot').txt('restart');
  domain.ele('on_crash').txt('destroy');

  const order = bootOrderOf(spec);
  const q35 = spec.machine === 'q35';
  const devices = domain.ele('devices');
  devices.ele('emulator').txt('/usr/bin/qemu-system-x86_64');
  if (q35) addPcieRootPorts(devices, spec);
  for (const disk of spec.disks)
    addDisk(devices, disk, order.hd && disk.bootOrder !== undefined ? order.hd : undefined);
  const cdrom = devices.ele('disk', { type: 'file', device: 'cdrom' });
  cdrom.ele('driver', { name: 'qemu', type: 'raw' });
  if (spec.cdrom.isoPath) cdrom.ele('source', { file: spec.cdrom.isoPath });
  // q35 has no IDE: the drive keeps its name (what media changes address) on the SATA controller, at
  // its last unit so the SATA disks' own names (sda → unit 0, …) never collide with it.
  cdrom.ele('target', { dev: spec.cdrom.targetDev, bus: q35 ? 'sata' : 'ide' });
  cdrom.ele('readonly');
  if (order.cdrom) cdrom.ele('boot', { order: String(order.cdrom) });
  if (q35)
    cdrom.ele('address', {
      type: 'drive',
      controller: '0',
      bus: '0',
      target: '0',
      unit: String(SATA_CDROM_UNIT),
    });
  spec.nics.forEach((nic, i) => addNic(devices, nic, undefined, i === 0 ? order.network : undefined));

  const serial = devices.ele('serial', { type: 'pty' });
  if (spec.serialLogPath) serial.ele('log', { file: spec.serialLogPath, append: 'on' });
  serial.ele('target', { port: '0' });
  devices.ele('console', { type: 'pty' }).ele('target', { type: 'serial', port: '0' });
  if (spec.graphicsVnc) {
    // Locked from the start: a random password that already expired. QEMU only accepts a per-session
    // password (console tickets) on a display started with one, and the bare port is useless meanwhile.
    const g = devices.ele('graphics', {
      type: 'vnc',
      port: '-1',
      autoport: 'yes',
      listen: '0.0.0.0',
      passwd: randomBytes(6).toString('base64url'),
      passwdValidTo: '1970-01-01T00:00:01',
    });
    g.ele('listen', { type: 'address', address: '0.0.0.0' });
    // Cirrus is an ISA-era card; q35 guests get the standard VGA.
    devices.ele('video').ele('model', { type: q35 ? 'vga' : 'cirrus' });
  }
  if (spec.watchdog) devices.ele('watchdog', { model: spec.watchdog.model, action: spec.watchdog.action });
  devices.ele('memballoon', { model: 'virtio' });
  if (spec.virtType === 'qemu') addTcgRamPad(domain, spec.maxMemoryMib);
  return domain.end({ prettyPrint: true });
}

const secureBoot = (spec: VmSpec) => spec.firmware.kind === 'uefi' && spec.firmware.secureBoot;

/**
 * `<os>`: machine type, firmware and a direct kernel boot. UEFI is left to libvirt's firmware
 * autoselection (the distribution's descriptors, Debian's `ovmf`), asked for a build with or without
 * Secure Boot; the NVRAM file is named by the VM's id and created from the firmware's template on the
 * host that first starts it (a live migration carries its content in the pflash device's state).
 */
function addOs(domain: XMLBuilder, spec: VmSpec): void {
  const uefi = spec.firmware.kind === 'uefi';
  const os = domain.ele('os', uefi ? { firmware: 'efi' } : {});
  os.ele('type', { arch: 'x86_64', machine: spec.machine }).txt('hvm');
  if (uefi) {
    const sb = secureBoot(spec);
    const fw = os.ele('firmware');
    fw.ele('feature', { enabled: sb ? 'yes' : 'no', name: 'secure-boot' });
    if (sb) fw.ele('feature', { enabled: 'yes', name: 'enrolled-keys' });
    if (sb) os.ele('loader', { secure: 'yes' });
    os.ele('nvram').txt(nvramPathFor(spec.uuid));
  }
  if (spec.boot.kind === 'kernel') {
    os.ele('kernel').txt(spec.boot.kernel);
    if (spec.boot.initrd) os.ele('initrd').txt(spec.boot.initrd);
    if (spec.boot.cmdline) os.ele('cmdline').txt(spec.boot.cmdline);
  }
  // Boot order is per device (<boot order=N/>, see bootOrderOf), never <os><boot dev>.
}

/** The `<boot order>` of each kind of device: `disk` boots try `bootOrder` (default: the boot disk
 * only); `cdrom` boots put the CD-ROM first and keep the rest of `bootOrder`; a direct kernel boot
 * uses no device. A device the VM lacks (no boot disk, no NIC) is skipped, not numbered. */
export function bootOrderOf(spec: VmSpec): Partial<Record<BootDevice, number>> {
  if (spec.boot.kind === 'kernel') return {};
  const listed = spec.bootOrder ?? ['hd'];
  const wanted: BootDevice[] =
    spec.boot.kind === 'cdrom' ? ['cdrom', ...listed.filter((d) => d !== 'cdrom')] : listed;
  const has: Record<BootDevice, boolean> = {
    hd: spec.disks.some((d) => d.bootOrder !== undefined),
    cdrom: true,
    network: spec.nics.length > 0,
  };
  return Object.fromEntries(wanted.filter((d) => has[d]).map((d, i) => [d, i + 1]));
}

/** Enough root ports for every PCI Express device of the definition plus spares to hot-plug into. */
function addPcieRootPorts(devices: XMLBuilder, spec: VmSpec): void {
  const virtioDisks = spec.disks.filter((d) => d.bus === 'virtio').length;
  // NICs, virtio disks, the balloon, the SATA/USB controllers libvirt places, and the spares.
  const count = spec.nics.length + virtioDisks + 3 + SPARE_PCIE_ROOT_PORTS;
  devices.ele('controller', { type: 'pci', index: '0', model: 'pcie-root' });
  for (let i = 1; i <= count; i++)
    devices.ele('controller', { type: 'pci', index: String(i), model: 'pcie-root-port' });
}

/** `<disk>` for attach-device / detach-device. */
export function buildDiskXml(disk: VmDiskSpec): string {
  const root = create({ version: '1.0' });
  addDisk(root, disk, undefined);
  return root.end({ prettyPrint: true });
}

/** `<interface>` for attach-device / detach-device / update-device. `ovsInterfaceId`: the OVS port id
 * the domain already has for this NIC (update-device must keep it, or libvirt refuses a live change). */
export function buildNicXml(nic: VmNicSpec, ovsInterfaceId?: string): string {
  const root = create({ version: '1.0' });
  addNic(root, nic, ovsInterfaceId);
  return root.end({ prettyPrint: true });
}

function addDisk(parent: XMLBuilder, disk: VmDiskSpec, bootOrder: number | undefined): void {
  const el = parent.ele('disk', {
    type: disk.rbd ? 'network' : disk.volume ? 'volume' : 'file',
    device: 'disk',
  });
  el.ele('driver', { name: 'qemu', type: disk.format, cache: disk.cache });
  addDiskSource(el, disk);
  el.ele('target', { dev: disk.targetDev, bus: disk.bus });
  // virtio-blk serials are limited to 20 characters: the first 20 of the disk id identify it.
  el.ele('serial').txt(disk.id.replace(/-/g, '').slice(0, 20));
  if (bootOrder !== undefined) el.ele('boot', { order: String(bootOrder) });
}

function addNic(parent: XMLBuilder, nic: VmNicSpec, ovsInterfaceId?: string, bootOrder?: number): void {
  const el = parent.ele('interface', { type: 'bridge' });
  el.ele('mac', { address: nic.mac });
  el.ele('source', { bridge: nic.bridge });
  if (nic.openvswitch) {
    // libvirt adds the tap to the OVS (fake) bridge with ovs-vsctl; the tag makes it an access port.
    const port = el.ele('virtualport', { type: 'openvswitch' });
    // libvirt writes a profileid into the OVS interface's external_ids:port-profile: the mark the
    // host's mirror reconciler looks for (it survives migrations and agent restarts with the domain).
    const params = {
      ...(ovsInterfaceId ? { interfaceid: ovsInterfaceId } : {}),
      ...(nic.openvswitch.portMirroring ? { profileid: OVS_PORT_MIRRORING_PROFILE } : {}),
    };
    if (Object.keys(params).length) port.ele('parameters', params);
    if (nic.openvswitch.vlanId) el.ele('vlan').ele('tag', { id: String(nic.openvswitch.vlanId) });
  } else if (nic.portMirroring) {
    // A Linux bridge has no port profile: the tap's name is the mark the mirror reconciler looks for.
    el.ele('target', { dev: bridgeMirrorTap(nic.id) });
  }
  el.ele('model', { type: nic.model });
  if (nic.bandwidth) addBandwidth(el, nic.bandwidth);
  // Written both ways: an update-device without it would leave a downed link down.
  if (nic.linkUp !== undefined) el.ele('link', { state: nic.linkUp ? 'up' : 'down' });
  if (bootOrder !== undefined) el.ele('boot', { order: String(bootOrder) });
}

/** libvirt shapes the tap: inbound = what the guest receives, outbound = what it sends. */
function addBandwidth(parent: XMLBuilder, bw: NonNullable<VmNicSpec['bandwidth']>): void {
  const el = parent.ele('bandwidth');
  for (const dir of ['inbound', 'outbound'] as const) {
    const limit = bw[dir];
    if (!limit) continue;
    el.ele(dir, {
      average: String(limit.average),
      ...(limit.peak !== undefined ? { peak: String(limit.peak) } : {}),
      ...(limit.burst !== undefined ? { burst: String(limit.burst) } : {}),
    });
  }
}

/** A named model is exact and never silently replaced (fallback forbid): a host that cannot run it
 * fails the start rather than giving the guest another CPU that would break a later migration. */
function addCpu(parent: XMLBuilder, cpu: VmCpuSpec): void {
  if (cpu.mode !== 'custom') {
    parent.ele('cpu', { mode: cpu.mode, check: 'none' });
    return;
  }
  parent
    .ele('cpu', { mode: 'custom', match: 'exact', check: 'none' })
    .ele('model', { fallback: 'forbid' })
    .txt(cpu.model);
}

/** Where the disk's data is: a file, a pool's volume (libvirt resolves an iSCSI LUN to its URL), or
 * an RBD image QEMU opens itself with the cephx key of the host's libvirt secret. */
function addDiskSource(el: XMLBuilder, disk: VmDiskSpec): void {
  if (disk.volume) {
    el.ele('source', { pool: disk.volume.pool, volume: disk.volume.volume });
    return;
  }
  if (!disk.rbd) {
    el.ele('source', { file: disk.path });
    return;
  }
  const source = el.ele('source', { protocol: 'rbd', name: disk.rbd.name });
  for (const m of disk.rbd.monitors) source.ele('host', { name: m.host, port: String(m.port) });
  el.ele('auth', { username: disk.rbd.username }).ele('secret', { type: 'ceph', uuid: disk.rbd.secretUuid });
}
