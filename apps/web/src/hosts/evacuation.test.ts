import type { Task } from '@kelpie/shared-types';
import { expect, it } from 'vitest';
import { evacuationRows } from './evacuation';

const task = (p: Partial<Task>): Task => ({
  id: 'x',
  type: 'vm.migrate',
  target: null,
  status: 'running',
  progress: 0,
  progressMessage: null,
  steps: [],
  result: null,
  errorCode: null,
  errorMessage: null,
  requestedBy: 'web',
  correlationId: 'c1',
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  ...p,
});

it('lists the evacuation VM by VM with target, state, progress and the failure reason', () => {
  const maintenance = task({
    type: 'host.maintenance',
    steps: [
      { name: 'vm-a', status: 'done', message: 'migrated to h2' },
      { name: 'vm-b', status: 'running', message: 'migrating to h3' },
      { name: 'vm-c', status: 'failed', message: 'no host can take it: not enough memory' },
      { name: 'vm-d', status: 'pending', message: 'waiting' },
    ],
  });
  const migrations = [
    task({ id: 'm-a', target: { type: 'vm', id: 'A', name: 'vm-a' }, status: 'succeeded', progress: 100 }),
    task({
      id: 'm-b-old',
      target: { type: 'vm', id: 'B', name: 'vm-b' },
      progress: 5,
      createdAt: '2026-01-01T00:00:01Z',
    }),
    task({
      id: 'm-b',
      target: { type: 'vm', id: 'B', name: 'vm-b' },
      progress: 42,
      createdAt: '2026-01-01T00:00:02Z',
    }),
  ];
  expect(evacuationRows(maintenance, migrations)).toEqual([
    {
      vmName: 'vm-a',
      vmId: 'A',
      state: 'migrated',
      detail: 'migrated to h2',
      target: 'h2',
      progress: 100,
      migrationTaskId: 'm-a',
    },
    {
      vmName: 'vm-b',
      vmId: 'B',
      state: 'migrating',
      detail: 'migrating to h3',
      target: 'h3',
      progress: 42,
      migrationTaskId: 'm-b',
    },
    {
      vmName: 'vm-c',
      vmId: null,
      state: 'failed',
      detail: 'no host can take it: not enough memory',
      target: null,
      progress: 0,
      migrationTaskId: null,
    },
    {
      vmName: 'vm-d',
      vmId: null,
      state: 'waiting',
      detail: 'waiting',
      target: null,
      progress: 0,
      migrationTaskId: null,
    },
  ]);
});

it('pairs steps with migrations by VM id (a VM renamed or sharing a name), by name for older steps', () => {
  const maintenance = task({
    type: 'host.maintenance',
    steps: [
      { name: 'web', objectId: 'A', status: 'running', message: 'migrating to h2' },
      { name: 'web', objectId: 'B', status: 'pending', message: 'waiting' },
      { name: 'db', objectId: 'C', status: 'running', message: 'migrating to h3' },
      { name: 'old', status: 'running', message: 'migrating to h2' },
    ],
  });
  const migrations = [
    task({ id: 'm-a', target: { type: 'vm', id: 'A', name: 'web' }, progress: 30 }),
    task({ id: 'm-c', target: { type: 'vm', id: 'C', name: 'db-renamed' }, progress: 60 }),
    task({ id: 'm-old', target: { type: 'vm', id: 'O', name: 'old' }, progress: 10 }),
  ];
  expect(
    evacuationRows(maintenance, migrations).map((r) => [r.vmName, r.vmId, r.migrationTaskId, r.progress]),
  ).toEqual([
    ['web', 'A', 'm-a', 30],
    ['web', 'B', null, 0],
    ['db', 'C', 'm-c', 60],
    ['old', 'O', 'm-old', 10],
  ]);
});
