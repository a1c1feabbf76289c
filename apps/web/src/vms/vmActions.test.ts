import type { VmStatus } from '@kelpie/shared-types';
import { describe, expect, it } from 'vitest';
import {
  ACTION_ORDER,
  ACTIONS_BY_STATUS,
  availableActions,
  canDo,
  splitForBulk,
  VM_ACTIONS,
} from './vmActions';

const ALL_STATUSES: VmStatus[] = [
  'down',
  'starting',
  'up',
  'paused',
  'powering_down',
  'reboot_in_progress',
  'migrating_from',
  'migrating_to',
  'suspended',
  'crashed',
  'unknown',
];

describe('VM actions by status', () => {
  const expected: Record<VmStatus, string[]> = {
    down: ['start', 'snapshot', 'clone', 'template', 'delete'],
    starting: ['poweroff', 'console'],
    up: ['shutdown', 'reboot', 'suspend', 'poweroff', 'reset', 'migrate', 'console', 'snapshot'],
    paused: ['resume', 'poweroff', 'console'],
    powering_down: ['poweroff', 'console'],
    reboot_in_progress: ['poweroff', 'console'],
    migrating_from: ['cancelMigration', 'console'],
    migrating_to: [],
    suspended: ['resume', 'poweroff'],
    crashed: ['start', 'poweroff'],
    unknown: ['poweroff'],
  };

  it('covers every status', () => {
    expect(Object.keys(ACTIONS_BY_STATUS).sort()).toEqual([...ALL_STATUSES].sort());
  });

  it.each(ALL_STATUSES)('%s offers exactly its actions, in menu order', (status) => {
    expect(availableActions({ status })).toEqual(expected[status]);
  });

  it.each(ALL_STATUSES)('%s: only a down VM can be deleted, cloned or templated', (status) => {
    for (const a of ['delete', 'clone', 'template'] as const)
      expect(canDo({ status }, a)).toBe(status === 'down');
  });

  it.each(ALL_STATUSES)('%s: run and shut down are never offered together', (status) => {
    const a = availableActions({ status });
    expect(a.includes('start') && a.includes('shutdown')).toBe(false);
  });

  it('migrates and suspends only running VMs; resumes only paused or suspended ones', () => {
    expect(ALL_STATUSES.filter((s) => canDo({ status: s }, 'migrate'))).toEqual(['up']);
    expect(ALL_STATUSES.filter((s) => canDo({ status: s }, 'suspend'))).toEqual(['up']);
    expect(ALL_STATUSES.filter((s) => canDo({ status: s }, 'resume'))).toEqual(['paused', 'suspended']);
  });

  it('templates can only be cloned or deleted', () => {
    expect(availableActions({ status: 'down', isTemplate: true })).toEqual(['clone', 'delete']);
    expect(availableActions({ status: 'up', isTemplate: true })).toEqual([]);
  });

  it('every action has a spec and a place in the menu', () => {
    for (const a of ACTION_ORDER) expect(VM_ACTIONS[a].id).toBe(a);
  });

  it('splits a bulk selection into VMs the action applies to and those it skips', () => {
    const vms = [
      { id: 'a', status: 'down' as const },
      { id: 'b', status: 'up' as const },
      { id: 'c', status: 'crashed' as const },
    ];
    const { apply, skip } = splitForBulk(vms, 'start');
    expect(apply.map((v) => v.id)).toEqual(['a', 'c']);
    expect(skip.map((v) => v.id)).toEqual(['b']);
  });
});
