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
  highlyAvailable: boolean;
  haPriority: string;
}

export const HARDWARE_FIELDS = [
  'description',
  'vcpus',
  'memoryMib',
  'maxMemoryMib',
  'bootOrder',
  'highlyAvailable',
  'haPriority',
] as const;

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
    highlyAvailable: vm.highlyAvailable,
    haPriority: String(vm.haPriority),
  };
}

/** When a change of each field takes effect on a running VM (what the engine does, see the PATCH
 * /vms/{id} description): memory live up to the maximum; CPUs, maximum memory and boot order at the
 * next start (`pendingRestart`); the rest are the engine's own records. */
export type Applies = 'live' | 'next start' | 'now';
export function whenApplied(field: keyof HardwareValues, running: boolean): Applies {
  if (!running) return 'now';
  if (field === 'memoryMib') return 'live';
  if (field === 'vcpus' || field === 'maxMemoryMib' || field === 'bootOrder') return 'next start';
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
  if (v.highlyAvailable !== before.highlyAvailable) out.highlyAvailable = v.highlyAvailable;
  if (v.haPriority !== before.haPriority) out.haPriority = typedNumber(v.haPriority);
  return out;
}
