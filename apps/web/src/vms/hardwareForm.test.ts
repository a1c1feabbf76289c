import type { Vm } from '@kelpie/shared-types';
import { describe, expect, it } from 'vitest';
import { hardwareChanges, hardwareValues, machineText, watchdogText, whenApplied } from './hardwareForm';

const vm = {
  description: '',
  vcpus: 1,
  memoryMib: 128,
  maxMemoryMib: 192,
  bootOrder: ['hd'],
  machineType: 'pc',
  firmware: 'bios',
  secureBoot: false,
  watchdogAction: null,
  highlyAvailable: false,
  haPriority: 50,
} as unknown as Vm;

describe('hardware edit', () => {
  it('machine type and firmware: Secure Boot is a firmware choice, sent as firmware + secureBoot', () => {
    const v = hardwareValues(vm);
    expect(v).toMatchObject({ machineType: 'pc', firmware: 'bios' });
    expect(hardwareChanges(vm, { ...v, machineType: 'q35', firmware: 'uefi-secure' })).toEqual({
      machineType: 'q35',
      firmware: 'uefi',
      secureBoot: true,
    });
    const sb = { ...vm, machineType: 'q35', firmware: 'uefi', secureBoot: true } as Vm;
    expect(hardwareValues(sb).firmware).toBe('uefi-secure');
    expect(hardwareChanges(sb, { ...hardwareValues(sb), firmware: 'uefi' })).toEqual({
      firmware: 'uefi',
      secureBoot: false,
    });
    expect(whenApplied('firmware', true)).toBe('next start');
    expect(whenApplied('machineType', true)).toBe('next start');
  });

  it('watchdog: none is no device (null); a choice is the action, applied at the next start', () => {
    const v = hardwareValues(vm);
    expect(v.watchdog).toBe('');
    expect(hardwareChanges(vm, { ...v, watchdog: 'poweroff' })).toEqual({ watchdogAction: 'poweroff' });
    const armed = { ...vm, watchdogAction: 'reset' } as Vm;
    expect(hardwareValues(armed).watchdog).toBe('reset');
    expect(hardwareChanges(armed, { ...hardwareValues(armed), watchdog: '' })).toEqual({
      watchdogAction: null,
    });
    expect(whenApplied('watchdog', true)).toBe('next start');
    expect(watchdogText(vm)).toBe('None');
    expect(watchdogText(armed)).toBe('i6300esb: reset the VM');
  });

  it('sends only what changed: an untouched vCPU count must not queue a restart', () => {
    expect(hardwareChanges(vm, hardwareValues(vm))).toEqual({});
    expect(hardwareChanges(vm, { ...hardwareValues(vm), memoryMib: '160', bootOrder: 'cdrom,hd' })).toEqual({
      memoryMib: 160,
      bootOrder: ['cdrom', 'hd'],
    });
    // Not a number: sent as typed, the API names the field.
    expect(hardwareChanges(vm, { ...hardwareValues(vm), vcpus: 'two' })).toEqual({ vcpus: 'two' });
  });

  it('on a running VM memory applies live, vCPUs/max memory/boot order at the next start', () => {
    expect(whenApplied('memoryMib', true)).toBe('live');
    expect(['vcpus', 'maxMemoryMib', 'bootOrder'].map((f) => whenApplied(f as 'vcpus', true))).toEqual([
      'next start',
      'next start',
      'next start',
    ]);
    expect(whenApplied('description', true)).toBe('now');
    expect(whenApplied('vcpus', false)).toBe('now');
  });
});

describe('machineText', () => {
  it('names the machine and the firmware, Secure Boot included', () => {
    expect(machineText({ machineType: 'q35', firmware: 'uefi', secureBoot: false })).toBe(
      'q35 (PCI Express, SATA), UEFI',
    );
    expect(machineText({ machineType: 'q35', firmware: 'uefi', secureBoot: true })).toBe(
      'q35 (PCI Express, SATA), UEFI with Secure Boot',
    );
    expect(machineText({ machineType: 'pc', firmware: 'bios', secureBoot: false })).toBe(
      'pc (i440FX, IDE), BIOS',
    );
  });
});
