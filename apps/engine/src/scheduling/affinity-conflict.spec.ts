import { SchedulingDecision } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { affinityBlocks, unplaceable } from './affinity-conflict';

const decision = (hostId: string | null, refusals: [string, string][]): SchedulingDecision => ({
  vmId: 'v1',
  policy: 'evenly_distributed',
  hostId,
  hostName: hostId,
  summary: '',
  hosts: refusals.map(([filter, reason], i) => ({
    hostId: `h${i + 1}`,
    hostName: `h${i + 1}`,
    filteredBy: { filter: filter as never, reason },
    scores: [],
    total: 0,
    chosen: false,
  })),
});

describe('affinityBlocks', () => {
  it('names the hosts an enforcing affinity group refused when no host fits', () => {
    expect(
      affinityBlocks(
        decision(null, [
          ['memory', 'needs 512 MiB'],
          ['affinity', 'negative affinity group apart: a is defined here'],
        ]),
      ),
    ).toEqual(['h2: negative affinity group apart: a is defined here']);
  });

  it('is empty when a host was chosen or only capacity refused hosts (a 422 then)', () => {
    expect(affinityBlocks(decision('h9', [['affinity', 'x']]))).toEqual([]);
    expect(affinityBlocks(decision(null, [['memory', 'needs 512 MiB']]))).toEqual([]);
  });
});

describe('unplaceable (a VM defined nowhere: create, start, provisioning)', () => {
  it("is a 409 naming the enforcing group when it is what left no host, with every host's reason", () => {
    const e = unplaceable(
      'web',
      decision(null, [
        ['memory', 'needs 512 MiB'],
        ['affinity', 'negative affinity group off-h2: web must not run on h2'],
      ]),
    );
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      'no host can run VM web without breaking an enforcing affinity group: h2: negative affinity group off-h2: web must not run on h2',
    );
    expect(e.details!.map((d) => d.reason)).toEqual([
      'h1: needs 512 MiB',
      'h2: negative affinity group off-h2: web must not run on h2',
    ]);
  });

  it("is a 422 with the scheduler's summary when only capacity refused the hosts", () => {
    const e = unplaceable('web', {
      ...decision(null, [['memory', 'needs 512 MiB']]),
      summary: 'no host fits',
    });
    expect([e.code, e.message]).toEqual(['unprocessable', 'no host fits']);
  });
});
