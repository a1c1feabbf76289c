import { HostStatus } from '@kelpie/shared-types';
import { decideFencing, FencePolicyInput } from './fence-policy';

const MIN = 60_000;
const base: FencePolicyInput = {
  now: 100 * MIN,
  engineStartedAt: 0,
  host: { name: 'h1', status: HostStatus.NonResponsive },
  clusterStatuses: [HostStatus.NonResponsive, HostStatus.Up, HostStatus.Up],
  recentFencesInCluster: 0,
  agents: ['ssh-soft'],
  softAgents: ['ssh-soft'],
  lease: 'unknown',
  leaseDetail: 'no other host has reported its lease records',
  startupGraceMs: 5 * MIN,
  maxUnreachablePercent: 50,
  maxPerCluster: 2,
  windowMs: 10 * MIN,
};
const decide = (over: Partial<FencePolicyInput>) => decideFencing({ ...base, ...over });

describe('fencing policy', () => {
  it('fences a non-responsive host through its first agent when every rule allows it', () => {
    expect(decide({})).toEqual({
      action: 'fence',
      rule: 'fence',
      agent: 'ssh-soft',
      reason: 'host h1 is non-responsive; fencing through ssh-soft',
    });
  });

  it('never fences a host that is not non-responsive', () => {
    expect(decide({ host: { name: 'h1', status: HostStatus.Up } })).toMatchObject({
      action: 'hold',
      rule: 'not-non-responsive',
    });
  });

  it('never fences in the first minutes after the engine started, whatever the rest says', () => {
    const d = decide({ engineStartedAt: base.now - 4 * MIN });
    expect(d).toMatchObject({ action: 'hold', rule: 'startup-grace' });
    expect(d.reason).toMatch(/started 240 s ago and fences no host in its first 300 s/);
    expect(decide({ engineStartedAt: base.now - 5 * MIN }).action).toBe('fence');
  });

  it('never fences when most hosts of the cluster are unreachable at once', () => {
    const d = decide({
      clusterStatuses: [HostStatus.NonResponsive, HostStatus.NonResponsive, HostStatus.Up],
    });
    expect(d).toMatchObject({ action: 'hold', rule: 'cluster-unreachable' });
    expect(d.reason).toMatch(/2 of 3 hosts/);
    // Exactly half is not "most": one of two hosts down is a dead host, not a cut-off engine.
    expect(decide({ clusterStatuses: [HostStatus.NonResponsive, HostStatus.Up] }).action).toBe('fence');
    // The only host of its cluster: nothing tells a dead host from a cut-off engine.
    expect(decide({ clusterStatuses: [HostStatus.NonResponsive] }).rule).toBe('cluster-unreachable');
  });

  it('counts only hosts expected to answer (maintenance and installing hosts are silent anyway)', () => {
    expect(
      decide({
        clusterStatuses: [
          HostStatus.NonResponsive,
          HostStatus.Up,
          HostStatus.Maintenance,
          HostStatus.Maintenance,
          HostStatus.Installing,
        ],
      }).action,
    ).toBe('fence');
  });

  it('rate-limits fencing per cluster', () => {
    const d = decide({ recentFencesInCluster: 2 });
    expect(d).toMatchObject({ action: 'hold', rule: 'rate-limit' });
    expect(d.reason).toMatch(/2 fence call\(s\) in the cluster within the last 600 s \(at most 2\)/);
    expect(decide({ recentFencesInCluster: 1 }).action).toBe('fence');
  });

  it('without power management holds with the reason: VMs stay unknown until a person confirms', () => {
    const d = decide({ agents: [] });
    expect(d).toMatchObject({ action: 'hold', rule: 'no-power-management' });
    expect(d.reason).toMatch(/confirms the host has been rebooted/);
  });

  it('applies the most protective rule first', () => {
    expect(
      decide({
        engineStartedAt: base.now,
        clusterStatuses: [HostStatus.NonResponsive],
        recentFencesInCluster: 9,
        agents: [],
      }).rule,
    ).toBe('startup-grace');
    expect(
      decide({ clusterStatuses: [HostStatus.NonResponsive], recentFencesInCluster: 9, agents: [] }).rule,
    ).toBe('cluster-unreachable');
    expect(decide({ recentFencesInCluster: 9, agents: [] }).rule).toBe('rate-limit');
  });

  it('holds hard fencing while other hosts see the host renew its leases; soft fencing still goes', () => {
    const hard = decide({ agents: ['ipmilan'], lease: 'renewing', leaseDetail: 'last renewal seen 2 s ago' });
    expect(hard).toMatchObject({ action: 'hold', rule: 'lease-renewing' });
    expect(hard.reason).toMatch(/still renews its storage leases \(last renewal seen 2 s ago\)/);
    expect(decide({ agents: ['ssh-soft', 'ipmilan'], lease: 'renewing' })).toMatchObject({
      action: 'fence',
      agent: 'ssh-soft',
    });
    expect(decide({ agents: ['ipmilan'], lease: 'expired' })).toMatchObject({
      action: 'fence',
      agent: 'ipmilan',
    });
    expect(decide({ agents: ['ipmilan'], lease: 'unknown' })).toMatchObject({
      action: 'fence',
      agent: 'ipmilan',
    });
  });
});
