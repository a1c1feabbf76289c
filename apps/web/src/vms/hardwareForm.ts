import type { BootDevice, Vm } from '@kelpie/shared-types';
import { typedNumber } from '../forms/typedNumber';

/** The hardware dialog's values, numbers kept as typed (the API names a bad one). */
export interface HardwareValues {
  description: string;
  vcpus: string;
  memoryMib: string;
  maxMemoryMib: string;
  /** Boot devices in order, comma separated in the select ("hd", "cdrom,hd", …). */
  bootOrder: string;
  machineType: string;
  /** `bios`, `uefi`, or `uefi-secure` (UEFI with Secure Boot). */
  firmware: string;
  /** `''` for no watchdog device, else the action taken when the guest stops feeding it. */
  watchdog: string;
  highlyAvailable: boolean;
  haPriority: string;
}

export const HARDWARE_FIELDS = [
  'description',
  'vcpus',
  'memoryMib',
  'maxMemoryMib',
  'bootOrder',
  'machineType',
  'firmware',
  'secureBoot',
  'watchdogAction',
  'highlyAvailable',
  'haPriority',
] as const;

export const MACHINE_TYPES: readonly { value: string; label: string }[] = [
  { value: 'pc', label: 'pc (i440FX, IDE)' },
  { value: 'q35', label: 'q35 (PCI Express, SATA)' },
];

export const FIRMWARES: readonly { value: string; label: string }[] = [
  { value: 'bios', label: 'BIOS' },
  { value: 'uefi', label: 'UEFI' },
  { value: 'uefi-secure', label: 'UEFI with Secure Boot (q35)' },
];

export const WATCHDOGS: readonly { value: string; label: string }[] = [
  { value: '', label: 'None' },
  { value: 'reset', label: 'i6300esb: reset the VM' },
  { value: 'poweroff', label: 'i6300esb: power the VM off' },
  { value: 'pause', label: 'i6300esb: pause the VM' },
  { value: 'none', label: 'i6300esb: only record an event' },
];

/** The VM's watchdog as the VM page shows it. */
export function watchdogText(vm: Pick<Vm, 'watchdogAction'>): string {
  if (!vm.watchdogAction) return 'None';
  return WATCHDOGS.find((w) => w.value === vm.watchdogAction)?.label ?? vm.watchdogAction;
}

/** The firmware select's value → the API's firmware and secureBoot. */
export function firmwareFields(value: string): Pick<Vm, 'firmware' | 'secureBoot'> {
  return value === 'uefi-secure'
    ? { firmware: 'uefi', secureBoot: true }
    : { firmware: value as Vm['firmware'], secureBoot: false };
}

/** The VM's machine and firmware as the VM page shows them, e.g. "q35 (PCI Express, SATA), UEFI". */
export function machineText(vm: Pick<Vm, 'machineType' | 'firmware' | 'secureBoot'>): string {
  const machine = MACHINE_TYPES.find((m) => m.value === vm.machineType)?.label ?? vm.machineType;
  const firmware = vm.firmware === 'uefi' ? (vm.secureBoot ? 'UEFI with Secure Boot' : 'UEFI') : 'BIOS';
  return `${machine}, ${firmware}`;
}

export const BOOT_ORDERS: readonly { value: string; label: string }[] = [
  { value: 'hd', label: 'Disk' },
  { value: 'cdrom,hd', label: 'CD-ROM, then disk' },
  { value: 'network,hd', label: 'Network (PXE), then disk' },
  { value: 'hd,cdrom', label: 'Disk, then CD-ROM' },
  { value: 'hd,network', label: 'Disk, then network (PXE)' },
];

export function hardwareValues(vm: Vm): HardwareValues {
  return {
    description: vm.description,
    vcpus: String(vm.vcpus),
    memoryMib: String(vm.memoryMib),
    maxMemoryMib: String(vm.maxMemoryMib),
    bootOrder: vm.bootOrder.join(','),
    machineType: vm.machineType,
    firmware: vm.secureBoot ? 'uefi-secure' : vm.firmware,
    watchdog: vm.watchdogAction ?? '',
    highlyAvailable: vm.highlyAvailable,
    haPriority: String(vm.haPriority),
  };
}

/** When a change of each field takes effect on a running VM (what the engine does, see the PATCH
 * /vms/{id} description): memory live up to the maximum; CPUs, maximum memory, boot order, machine
 * type, firmware and watchdog at the next start (`pendingRestart`); the rest are the engine's own records. */
export type Applies = 'live' | 'next start' | 'now';
export function whenApplied(field: keyof HardwareValues, running: boolean): Applies {
  if (!running) return 'now';
  if (field === 'memoryMib') return 'live';
  if (['vcpus', 'maxMemoryMib', 'bootOrder', 'machineType', 'firmware', 'watchdog'].includes(field))
    return 'next start';
  return 'now';
}

/** Only what changed: an unchanged vCPU count must not queue a restart. */
export function hardwareChanges(vm: Vm, v: HardwareValues): Partial<Vm> {
  const before = hardwareValues(vm);
  const out: Partial<Vm> = {};
  if (v.description !== before.description) out.description = v.description;
  if (v.vcpus !== before.vcpus) out.vcpus = typedNumber(v.vcpus);
  if (v.memoryMib !== before.memoryMib) out.memoryMib = typedNumber(v.memoryMib);
  if (v.maxMemoryMib !== before.maxMemoryMib) out.maxMemoryMib = typedNumber(v.maxMemoryMib);
  if (v.bootOrder !== before.bootOrder) out.bootOrder = v.bootOrder.split(',') as BootDevice[];
  if (v.machineType !== before.machineType) out.machineType = v.machineType as Vm['machineType'];
  if (v.firmware !== before.firmware) Object.assign(out, firmwareFields(v.firmware));
  if (v.watchdog !== before.watchdog)
    out.watchdogAction = v.watchdog === '' ? null : (v.watchdog as Vm['watchdogAction']);
  if (v.highlyAvailable !== before.highlyAvailable) out.highlyAvailable = v.highlyAvailable;
  if (v.haPriority !== before.haPriority) out.haPriority = typedNumber(v.haPriority);
  return out;
}
