import { randomBytes } from 'node:crypto';
import {
  KELPIE_VM_XMLNS,
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

/** The complete persistent definition of a VM. */
export function buildDomainXml(spec: VmSpec): string {
  const domain = create({ version: '1.0' }).ele('domain', { type: spec.virtType });
  domain.ele('name').txt(spec.name);
  domain.ele('uuid').txt(spec.uuid);
  domain.ele('metadata').ele(KELPIE_VM_XMLNS, 'kelpie:vm').att('id', spec.uuid);
  domain.ele('memory', { unit: 'KiB' }).txt(String(spec.maxMemoryMib * KIB_PER_MIB));
  domain.ele('currentMemory', { unit: 'KiB' }).txt(String(spec.memoryMib * KIB_PER_MIB));
  domain.ele('vcpu', { placement: 'static' }).txt(String(spec.vcpus));

  const os = domain.ele('os');
  os.ele('type', { arch: 'x86_64', machine: 'pc' }).txt('hvm');
  if (spec.boot.kind === 'kernel') {
    os.ele('kernel').txt(spec.boot.kernel);
    if (spec.boot.initrd) os.ele('initrd').txt(spec.boot.initrd);
    if (spec.boot.cmdline) os.ele('cmdline').txt(spec.boot.cmdline);
  }
  // Boot order is per device (<boot order=N/>) so disks and the CD-ROM can be ordered freely.

  const features = domain.ele('features');
  features.ele('acpi');
  features.ele('apic');
  if (spec.virtType === 'qemu') {
    // Without a cap a busy TCG guest's translation cache grows to hundreds of MiB.
    features.ele('tcg').ele('tb-cache', { unit: 'MiB' }).txt('16');
  }
  if (spec.cpu) addCpu(domain, spec.cpu);
  domain.ele('clock', { offset: 'utc' });
  domain.ele('on_poweroff').txt('destroy');
  domain.ele('on_reboot').txt('restart');
  domain.ele('on_crash').txt('destroy');

  const devices = domain.ele('devices');
  devices.ele('emulator').txt('/usr/bin/qemu-system-x86_64');
  const cdromFirst = spec.boot.kind === 'cdrom';
  for (const disk of spec.disks) {
    const bootOrder = spec.boot.kind === 'disk' ? disk.bootOrder : undefined;
    addDisk(devices, disk, bootOrder);
  }
  const cdrom = devices.ele('disk', { type: 'file', device: 'cdrom' });
  cdrom.ele('driver', { name: 'qemu', type: 'raw' });
  if (spec.cdrom.isoPath) cdrom.ele('source', { file: spec.cdrom.isoPath });
  cdrom.ele('target', { dev: spec.cdrom.targetDev, bus: 'ide' });
  cdrom.ele('readonly');
  if (cdromFirst) cdrom.ele('boot', { order: '1' });
  for (const nic of spec.nics) addNic(devices, nic);

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
    devices.ele('video').ele('model', { type: 'cirrus' });
  }
  devices.ele('memballoon', { model: 'virtio' });
  if (spec.virtType === 'qemu') addTcgRamPad(domain, spec.maxMemoryMib);
  return domain.end({ prettyPrint: true });
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
  const el = parent.ele('disk', { type: 'file', device: 'disk' });
  el.ele('driver', { name: 'qemu', type: disk.format, cache: disk.cache });
  el.ele('source', { file: disk.path });
  el.ele('target', { dev: disk.targetDev, bus: disk.bus });
  // virtio-blk serials are limited to 20 characters: the first 20 of the disk id identify it.
  el.ele('serial').txt(disk.id.replace(/-/g, '').slice(0, 20));
  if (bootOrder !== undefined) el.ele('boot', { order: String(bootOrder) });
}

function addNic(parent: XMLBuilder, nic: VmNicSpec, ovsInterfaceId?: string): void {
  const el = parent.ele('interface', { type: 'bridge' });
  el.ele('mac', { address: nic.mac });
  el.ele('source', { bridge: nic.bridge });
  if (nic.openvswitch) {
    // libvirt adds the tap to the OVS (fake) bridge with ovs-vsctl; the tag makes it an access port.
    const port = el.ele('virtualport', { type: 'openvswitch' });
    if (ovsInterfaceId) port.ele('parameters', { interfaceid: ovsInterfaceId });
    if (nic.openvswitch.vlanId) el.ele('vlan').ele('tag', { id: String(nic.openvswitch.vlanId) });
  }
  el.ele('model', { type: nic.model });
  if (nic.bandwidth) addBandwidth(el, nic.bandwidth);
  // Written both ways: an update-device without it would leave a downed link down.
  if (nic.linkUp !== undefined) el.ele('link', { state: nic.linkUp ? 'up' : 'down' });
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
