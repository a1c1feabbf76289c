import type { Vm } from '@kelpie/shared-types';
import { describe, expect, it } from 'vitest';
import { hardwareChanges, hardwareValues, whenApplied } from './hardwareForm';

const vm = {
  description: '',
  vcpus: 1,
  memoryMib: 128,
  maxMemoryMib: 192,
  bootOrder: ['hd'],
  highlyAvailable: false,
  haPriority: 50,
} as unknown as Vm;

describe('hardware edit', () => {
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
