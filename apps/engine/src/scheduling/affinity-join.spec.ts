import { ErrorCode } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { AffinityJoin } from './affinity-join';
import type { SchedulingRepository } from './scheduling.repository';
import type { SchedRule } from './scheduling.model';

const G = (id: string, clusterId = 'c1') => ({ id, clusterId, name: `g-${id}` });
const rule = (o: Partial<SchedRule>): SchedRule => ({
  id: 'g1',
  name: 'g-g1',
  polarity: 'negative',
  enforcing: true,
  others: new Map(),
  hosts: new Map(),
  ...o,
});

function join(rules: SchedRule[], placed: Record<string, string[]> = {}) {
  const hosts = [
    { id: 'h1', name: 'h1' },
    { id: 'h2', name: 'h2' },
  ];
  const repo = {
    groupsByIds: jest.fn(async (ids: string[]) => [G('g1'), G('g2', 'c2')].filter((g) => ids.includes(g.id))),
    rulesOf: jest.fn(async () => rules),
    hostsOf: jest.fn(async (_c: string, only?: string | null) => hosts.filter((h) => !only || h.id === only)),
    loadOf: jest.fn(
      async (ids: string[]) => new Map(ids.map((id) => [id, { committedMib: 0, vmIds: placed[id] ?? [] }])),
    ),
    join: jest.fn(async () => undefined),
  };
  return { j: new AffinityJoin(repo as unknown as SchedulingRepository), repo };
}

const refusal = async (p: Promise<unknown>) => {
  const e = await p.catch((err: unknown) => err);
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
};

describe('AffinityJoin.check', () => {
  it('refuses unknown groups and groups of another cluster with 400 naming affinityGroupIds', async () => {
    const e = await refusal(join([]).j.check('c1', 'vm', ['g1', 'g2', 'nope']));
    expect(e.code).toBe(ErrorCode.ValidationFailed);
    expect(e.details).toEqual([
      { field: 'affinityGroupIds', reason: 'affinity group g-g2 is in another cluster' },
      { field: 'affinityGroupIds', reason: 'affinity group nope does not exist' },
    ]);
  });

  it('accepts groups that leave a host (duplicates once), and soft groups without looking at hosts', async () => {
    const apart = rule({ others: new Map([['a', 'vm-a']]) });
    const { j, repo } = join([apart], { h1: ['a'] });
    expect(await j.check('c1', 'vm', ['g1', 'g1'])).toEqual(['g1']);
    const soft = join([{ ...apart, enforcing: false }], { h1: ['a'], h2: ['a'] });
    expect(await soft.j.check('c1', 'vm', ['g1'])).toEqual(['g1']);
    expect(soft.repo.hostsOf).not.toHaveBeenCalled();
    expect(repo.join).not.toHaveBeenCalled();
  });

  it('409 naming each host when the enforcing groups leave none (or not the chosen host)', async () => {
    const apart = rule({
      others: new Map([
        ['a', 'vm-a'],
        ['b', 'vm-b'],
      ]),
    });
    const e = await refusal(join([apart], { h1: ['a'], h2: ['b'] }).j.check('c1', 'new', ['g1']));
    expect(e.code).toBe(ErrorCode.Conflict);
    expect(e.message).toBe(
      'no host can run VM new without breaking an enforcing affinity group: ' +
        'h1: negative affinity group g-g1: vm-a is defined here; h2: negative affinity group g-g1: vm-b is defined here',
    );
    // Pinned to h2 by a VM↔host group, the create cannot name h1.
    const pinned = rule({ polarity: 'positive', hosts: new Map([['h2', 'h2']]) });
    const chosen = await refusal(join([pinned]).j.check('c1', 'new', ['g1'], 'h1'));
    expect(chosen.details).toEqual([
      { field: 'affinityGroupIds', reason: 'h1: positive affinity group g-g1 pins its VMs to h2' },
    ]);
    expect(await join([pinned]).j.check('c1', 'new', ['g1'], 'h2')).toEqual(['g1']);
  });
});
