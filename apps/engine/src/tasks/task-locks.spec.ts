import { ObjectType, TaskStatus } from '@kelpie/shared-types';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { acquireLocks, assertFree } from './task-locks';
import type { LockHolder, TaskRepository } from './task.repository';

const em = {} as EntityManager;
const vm = { type: ObjectType.Vm, id: 'b-vm', name: 'web1' };
const disk = { type: ObjectType.Disk, id: 'a-disk' };
const holder = (status: TaskStatus, objectId = vm.id): LockHolder => ({
  object_id: objectId,
  object_type: ObjectType.Vm,
  task_id: 't-other',
  task_type: 'vm.start',
  status,
});

/** A TaskRepository whose lockHolders answers `answers` in turn. */
const repoAnswering = (...answers: LockHolder[][]) => {
  const lockHolders = jest.fn();
  for (const a of answers) lockHolders.mockResolvedValueOnce(a);
  return {
    insertLocks: jest.fn(),
    lockHolders,
    deleteLocksOn: jest.fn(),
  } as unknown as TaskRepository & Record<'insertLocks' | 'lockHolders' | 'deleteLocksOn', jest.Mock>;
};

describe('acquireLocks', () => {
  it('locks each object once, in id order, in the caller’s transaction', async () => {
    const repo = repoAnswering([]);
    await acquireLocks(repo, em, 't1', [vm, disk, vm]);
    expect(repo.insertLocks).toHaveBeenCalledWith(em, 't1', [disk, vm]);
    expect(repo.lockHolders).toHaveBeenCalledWith([disk.id, vm.id], 't1', em);
  });

  it('drops a lock left by a task already final, then takes the object', async () => {
    const repo = repoAnswering([holder(TaskStatus.Succeeded)], []);
    await acquireLocks(repo, em, 't1', [vm]);
    expect(repo.deleteLocksOn).toHaveBeenCalledWith(em, [vm.id]);
    expect(repo.insertLocks).toHaveBeenCalledTimes(2);
  });

  it('refuses with a 409 naming the task that holds the object', async () => {
    const repo = repoAnswering([holder(TaskStatus.Running)]);
    const err = await acquireLocks(repo, em, 't1', [vm]).catch((e: DomainError) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toBe(
      'VM web1 is busy with vm.start (task t-other); retry when it has finished',
    );
    expect(repo.deleteLocksOn).not.toHaveBeenCalled();
  });

  it('takes nothing for no objects', async () => {
    const repo = repoAnswering();
    await acquireLocks(repo, em, 't1', []);
    expect(repo.insertLocks).not.toHaveBeenCalled();
  });
});

describe('assertFree', () => {
  it('ignores locks of final tasks and refuses live ones', async () => {
    await expect(assertFree(repoAnswering([holder(TaskStatus.Failed)]), [vm])).resolves.toBeUndefined();
    await expect(assertFree(repoAnswering([holder(TaskStatus.Queued)]), [vm])).rejects.toThrow(
      /VM web1 is busy with vm\.start/,
    );
  });
});
