import type Redis from 'ioredis';
import { claimOrphan, findOrphans } from './task-adoption';
import type { TaskRepository } from './task.repository';

const key = (id: string) => `k:engine:${id}`;
const tasks = [
  { id: 't-mine', ownerEngine: 'me' },
  { id: 't-live', ownerEngine: 'live' },
  { id: 't-dead', ownerEngine: 'dead' },
  { id: 't-none', ownerEngine: null },
];
const repoWith = (rows: unknown[]) => ({ activeOwners: async () => rows }) as unknown as TaskRepository;

describe('findOrphans', () => {
  it('takes the tasks of engines without a liveness key and ownerless ones, never its own', async () => {
    const redis = {
      mget: async (keys: string[]) => keys.map((k) => (k === key('live') ? 'x' : null)),
    } as unknown as Redis;
    const orphans = await findOrphans(repoWith(tasks), redis, key, 'me');
    expect(orphans.map((o) => o.id)).toEqual(['t-dead', 't-none']);
  });

  it('when Redis cannot be read, only ownerless tasks are certain orphans', async () => {
    const redis = {
      mget: async () => {
        throw new Error('connection refused');
      },
    } as unknown as Redis;
    const orphans = await findOrphans(repoWith(tasks), redis, key, 'me');
    expect(orphans).toEqual([{ id: 't-none', ownerEngine: null }]);
  });
});

describe('claimOrphan', () => {
  it('returns the task with its checkpoint and the claimer’s fence; null when another engine won', async () => {
    const row = { id: 't-dead', ownerEngine: 'b' };
    const repo = {
      takeOwnership: jest
        .fn()
        .mockResolvedValueOnce({ checkpoint: { phase: 'sent' }, generation: 4 })
        .mockResolvedValueOnce(null),
      byId: async () => row,
    } as unknown as TaskRepository & { takeOwnership: jest.Mock };
    const first = await claimOrphan(repo, { id: 't-dead', ownerEngine: 'dead' }, 'b');
    const second = await claimOrphan(repo, { id: 't-dead', ownerEngine: 'dead' }, 'c');
    expect(first).toEqual({ task: row, checkpoint: { phase: 'sent' }, fence: { owner: 'b', generation: 4 } });
    expect(second).toBeNull();
    expect(repo.takeOwnership.mock.calls).toEqual([
      ['t-dead', 'dead', 'b'],
      ['t-dead', 'dead', 'c'],
    ]);
  });
});
