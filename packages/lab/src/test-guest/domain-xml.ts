import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { tcgRamPadArgs } from '@kelpie/shared-types';

export interface TestGuestDomainOptions {
  name: string;
  uuid?: string;
  /** At least 96: the Debian kernel hangs in SeaBIOS with 64 MiB. */
  memoryMiB: number;
  vcpus: number;
  /** 'qemu' (TCG) unless a real KVM probe succeeded. */
  virtType: 'qemu' | 'kvm';
  kernel: string;
  initrd: string;
  /** Appended to `console=ttyS0 panic=-1 quiet`, e.g. `ip=10.77.0.50/24 kelpie.dirty_mib=32`. */
  cmdlineExtra?: string;
  /** Image attached as virtio vda (cache='none'); the guest writes its heartbeat to sector 0. */
  diskPath?: string;
  /** Format of diskPath (default raw); a qcow2 overlay's backing chain is found by QEMU itself. */
  diskFormat?: 'raw' | 'qcow2';
  /** The serial port is also logged (append) to this file, readable from the host. */
  serialLogPath: string;
  vnc?: boolean;
  /** Bridge inside the lab host for a virtio NIC, normally `br0`. */
  bridge?: string;
  macAddress?: string;
  /** Guest CPU: a named model (`qemu64`, `max`, ...) or a libvirt mode; none = QEMU's default. */
  cpu?: { mode: 'custom'; model: string } | { mode: 'maximum' | 'host-model' | 'host-passthrough' };
  /** QEMU binary (default /usr/bin/qemu-system-x86_64). */
  emulator?: string;
  /** TCG translation cache cap in MiB (default 16). */
  tbCacheMiB?: number;
  /** Under TCG, give the guest 8 KiB more RAM than memoryMiB (default true): see padTcgRam. */
  tcgRamPad?: boolean;
}

const QEMU_XMLNS = 'http://libvirt.org/schemas/domain/qemu/1.0';

export const MIN_TEST_GUEST_MEMORY_MIB = 96;

/** libvirt domain XML for the test guest: direct kernel boot, serial console with a log file. */
export function testGuestDomainXml(options: TestGuestDomainOptions): string {
  if (options.memoryMiB < MIN_TEST_GUEST_MEMORY_MIB) {
    throw new Error(`test guest needs at least ${MIN_TEST_GUEST_MEMORY_MIB} MiB (got ${options.memoryMiB})`);
  }
  const domain = create({ version: '1.0' }).ele('domain', { type: options.virtType });
  domain.ele('name').txt(options.name);
  if (options.uuid) domain.ele('uuid').txt(options.uuid);
  domain.ele('memory', { unit: 'MiB' }).txt(String(options.memoryMiB));
  domain.ele('vcpu').txt(String(options.vcpus));
  if (options.cpu) {
    const cpu = domain.ele('cpu', { mode: options.cpu.mode });
    if (options.cpu.mode === 'custom') {
      cpu.ele('model', { fallback: 'forbid' }).txt(options.cpu.model);
    }
  }

  const os = domain.ele('os');
  os.ele('type', { arch: 'x86_64', machine: 'pc' }).txt('hvm');
  os.ele('kernel').txt(options.kernel);
  os.ele('initrd').txt(options.initrd);
  os.ele('cmdline').txt(
    ['console=ttyS0', 'panic=-1', 'quiet', options.cmdlineExtra].filter(Boolean).join(' '),
  );

  const features = domain.ele('features');
  features.ele('acpi');
  if (options.virtType === 'qemu') {
    // Without a cap a busy TCG guest's translation cache grows to hundreds of MiB.
    features
      .ele('tcg')
      .ele('tb-cache', { unit: 'MiB' })
      .txt(String(options.tbCacheMiB ?? 16));
  }
  domain.ele('clock', { offset: 'utc' });
  domain.ele('on_poweroff').txt('destroy');
  domain.ele('on_reboot').txt('restart');
  domain.ele('on_crash').txt('destroy');

  const devices = domain.ele('devices');
  devices.ele('emulator').txt(options.emulator ?? '/usr/bin/qemu-system-x86_64');
  if (options.diskPath) addDisk(devices, options.diskPath, options.diskFormat ?? 'raw');
  if (options.bridge) addBridgedNic(devices, options.bridge, options.macAddress);
  const serial = devices.ele('serial', { type: 'pty' });
  serial.ele('log', { file: options.serialLogPath, append: 'on' });
  serial.ele('target', { port: '0' });
  devices.ele('console', { type: 'pty' }).ele('target', { type: 'serial', port: '0' });
  if (options.vnc) devices.ele('graphics', { type: 'vnc', port: '-1', autoport: 'yes', listen: '0.0.0.0' });
  devices.ele('memballoon', { model: 'none' });

  if (options.virtType === 'qemu' && options.tcgRamPad !== false) padTcgRam(domain, options.memoryMiB);
  return domain.end({ prettyPrint: true });
}

/** Same padded RAM backend as the agent gives Kelpie's TCG VMs (tcgRamPadArgs explains QEMU 7.2's
 * lost dirty pages; 15 of 30 test-guest moves crashed without it, docs/adr/0005). */
function padTcgRam(domain: XMLBuilder, memoryMiB: number): void {
  const commandline = domain.ele(QEMU_XMLNS, 'qemu:commandline');
  for (const value of tcgRamPadArgs(memoryMiB)) commandline.ele(QEMU_XMLNS, 'qemu:arg', { value });
}

function addDisk(devices: XMLBuilder, path: string, format: 'raw' | 'qcow2'): void {
  const disk = devices.ele('disk', { type: 'file', device: 'disk' });
  disk.ele('driver', { name: 'qemu', type: format, cache: 'none' });
  disk.ele('source', { file: path });
  disk.ele('target', { dev: 'vda', bus: 'virtio' });
}

function addBridgedNic(devices: XMLBuilder, bridge: string, mac?: string): void {
  const nic = devices.ele('interface', { type: 'bridge' });
  if (mac) nic.ele('mac', { address: mac });
  nic.ele('source', { bridge });
  nic.ele('model', { type: 'virtio' });
}
