import type Redis from 'ioredis';
import type { Repository } from 'typeorm';
import { claimOrphan, findOrphans } from './task-adoption';
import type { TaskEntity } from './task.entity';

const key = (id: string) => `k:engine:${id}`;
const tasks = [
  { id: 't-mine', ownerEngine: 'me' },
  { id: 't-live', ownerEngine: 'live' },
  { id: 't-dead', ownerEngine: 'dead' },
  { id: 't-none', ownerEngine: null },
];
const repoWith = (rows: unknown[]) => ({ find: async () => rows }) as unknown as Repository<TaskEntity>;

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
  it('claims only while the dead engine still owns the task (one conditional UPDATE)', async () => {
    const row = { id: 't-dead', ownerEngine: 'dead' as string | null, checkpoint: { phase: 'sent' } };
    const sql: unknown[][] = [];
    const repo = {
      query: async (q: string, params: unknown[]) => {
        sql.push(params);
        expect(q).toMatch(/owner_engine IS NOT DISTINCT FROM \$2 AND status IN/);
        if (row.ownerEngine !== params[1]) return [[], 0];
        row.ownerEngine = params[2] as string;
        return [[{ id: row.id, checkpoint: row.checkpoint }], 1];
      },
      findOneByOrFail: async () => ({ ...row }),
    } as unknown as Repository<TaskEntity>;
    const first = await claimOrphan(repo, { id: 't-dead', ownerEngine: 'dead' }, 'b');
    const second = await claimOrphan(repo, { id: 't-dead', ownerEngine: 'dead' }, 'c');
    expect(first?.checkpoint).toEqual({ phase: 'sent' });
    expect(first?.task.ownerEngine).toBe('b');
    expect(second).toBeNull();
    expect(sql).toEqual([
      ['t-dead', 'dead', 'b'],
      ['t-dead', 'dead', 'c'],
    ]);
  });
});
