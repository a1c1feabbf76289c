import { HostStatus, SchedulingPolicy } from '@kelpie/shared-types';
import { decide } from './decide';
import type { SchedCluster, SchedHost, SchedRule, SchedVm } from './scheduling.model';

const host = (name: string, over: Partial<SchedHost> = {}): SchedHost => ({
  id: `id-${name}`,
  name,
  clusterId: 'c1',
  status: HostStatus.Up,
  memoryMib: 4096,
  committedMib: 0,
  pendingMib: 0,
  vmCount: 0,
  vmIds: [],
  cpuCount: 4,
  virtualization: 'tcg',
  cpuModes: { hostModel: true, hostPassthrough: false, custom: ['qemu64', 'Nehalem'] },
  checks: [],
  ...over,
});
const vm: SchedVm = { id: 'vm-b', name: 'b', clusterId: 'c1', memoryMib: 512, vcpus: 1 };
const cluster = (over: Partial<SchedCluster> = {}): SchedCluster => ({
  id: 'c1',
  policy: SchedulingPolicy.EvenlyDistributed,
  cpuModel: null,
  reserveMib: 256,
  ...over,
});
const rule = (over: Partial<SchedRule> = {}): SchedRule => ({
  id: 'g1',
  name: 'apart',
  polarity: 'negative',
  enforcing: true,
  others: new Map([['vm-a', 'a']]),
  hosts: new Map(),
  ...over,
});
const run = (hosts: SchedHost[], c = cluster(), rules: SchedRule[] = []) =>
  decide({ vm, cluster: c, hosts, rules });
const reasonOf = (d: ReturnType<typeof decide>, name: string) =>
  d.hosts.find((h) => h.hostName === name)!.filteredBy;

describe('scheduling filters', () => {
  it('names the first filter that refuses each host, and every reason when none fits', () => {
    const d = run(
      [
        host('h1', { status: HostStatus.Maintenance }),
        host('h2', { committedMib: 3500 }),
        host('h3', { cpuCount: 0 }),
        host('h4', { checks: ['host lacks bridge br9'] }),
        host('h5', { clusterId: 'c2' }),
      ],
      cluster(),
    );
    expect(d.hostId).toBeNull();
    expect(reasonOf(d, 'h1')).toEqual({ filter: 'status', reason: 'host is in maintenance, not up' });
    expect(reasonOf(d, 'h2')).toEqual({
      filter: 'memory',
      reason: 'needs 512 MiB, only 340 MiB uncommitted (4096 MiB − 3500 MiB committed − 256 MiB reserve)',
    });
    expect(reasonOf(d, 'h3')!.filter).toBe('cpu-count');
    expect(reasonOf(d, 'h4')).toEqual({ filter: 'host-checks', reason: 'host lacks bridge br9' });
    expect(reasonOf(d, 'h5')!.filter).toBe('cluster');
    expect(d.summary).toMatch(/^no host fits VM b \(h1: host is in maintenance, not up; h2: needs 512 MiB/);
  });

  it('counts memory promised by earlier decisions (pending) against the host', () => {
    const d = run([host('h1', { pendingMib: 3500 })]);
    expect(reasonOf(d, 'h1')!.reason).toMatch(/3500 MiB pending/);
  });

  it('refuses hosts that cannot run the cluster CPU model, host-passthrough without KVM', () => {
    const d = run([host('h1'), host('h2', { cpuModes: null })], cluster({ cpuModel: 'Skylake-Server' }));
    expect(reasonOf(d, 'h1')!.reason).toMatch(/CPU model Skylake-Server is not usable on this host \(tcg/);
    expect(reasonOf(d, 'h2')!.reason).toMatch(/not reported its usable CPU models/);
    expect(run([host('h1')], cluster({ cpuModel: 'Nehalem' })).hostName).toBe('h1');
    expect(reasonOf(run([host('h1')], cluster({ cpuModel: 'host-passthrough' })), 'h1')!.reason).toMatch(
      /needs KVM/,
    );
    expect(run([host('h1')], cluster({ cpuModel: 'host-model' })).hostName).toBe('h1');
  });

  it('names the features the host lacks for the cluster CPU model, and a model libvirt does not know', () => {
    const missing = {
      'Skylake-Server': ['vme', 'pcid', 'x2apic'],
      EPYC: Array.from({ length: 14 }, (_, i) => `f${i}`),
    };
    const withFeatures = host('h1', {
      cpuModes: { hostModel: true, hostPassthrough: false, custom: ['qemu64'], missingFeatures: missing },
    });
    expect(reasonOf(run([withFeatures], cluster({ cpuModel: 'Skylake-Server' })), 'h1')!.reason).toBe(
      'CPU model Skylake-Server is not usable on this host (tcg; lacks vme, pcid, x2apic; usable: qemu64)',
    );
    expect(reasonOf(run([withFeatures], cluster({ cpuModel: 'EPYC' })), 'h1')!.reason).toMatch(
      /lacks f0, f1, .*, f11 and 2 more; usable/,
    );
    expect(reasonOf(run([withFeatures], cluster({ cpuModel: 'Pentium9' })), 'h1')!.reason).toMatch(
      /\(tcg; libvirt does not know this model here; usable: qemu64\)/,
    );
  });

  it("refuses a host that does not carry a network of the VM's NICs, naming it; one never reported passes", () => {
    const blue = { id: 'n1', name: 'blue', bridge: 'br-blue' };
    const d = decide({
      vm: { ...vm, networks: [blue, { id: 'n2', name: 'mgmt', bridge: 'br0' }] },
      cluster: cluster(),
      hosts: [
        host('h1', { bridges: new Set(['br0', 'br-blue']) }),
        host('h2', { bridges: new Set(['br0']) }),
        host('h3', { bridges: null }),
      ],
      rules: [],
    });
    expect(reasonOf(d, 'h1')).toBeNull();
    expect(reasonOf(d, 'h2')).toEqual({
      filter: 'networks',
      reason: 'host lacks bridge br-blue (network blue)',
    });
    expect(reasonOf(d, 'h3')).toBeNull();
  });

  it('keeps enforcing negative affinity members apart and positive ones together', () => {
    const hosts = [host('h1', { vmIds: ['vm-a'], vmCount: 1 }), host('h2', { committedMib: 3000 })];
    const neg = run(hosts, cluster({ policy: SchedulingPolicy.None }), [rule()]);
    expect(neg.hostName).toBe('h2');
    expect(reasonOf(neg, 'h1')).toEqual({
      filter: 'affinity',
      reason: 'negative affinity group apart: a is defined here',
    });
    const pos = run(hosts, cluster(), [rule({ polarity: 'positive', name: 'together' })]);
    expect(pos.hostName).toBe('h1');
    expect(reasonOf(pos, 'h2')!.reason).toBe('positive affinity group together: its VMs are on h1');
  });
});

describe('scheduling weights', () => {
  const hosts = () => [
    host('h1', { committedMib: 1024, vmCount: 2 }),
    host('h2', { committedMib: 512, vmCount: 1 }),
    host('h3'),
  ];

  it('evenly distributed: the least committed host, scores explained', () => {
    const d = run(hosts());
    expect(d.hostName).toBe('h3');
    expect(d.summary).toMatch(/^h3: least committed memory \(0 MiB, 0 VM\(s\)\) among 3 fitting hosts/);
    const h3 = d.hosts.find((h) => h.hostName === 'h3')!;
    expect(h3.chosen).toBe(true);
    expect(h3.scores.map((s) => s.weight)).toEqual(['memory-spread', 'vm-count-spread', 'affinity']);
    expect(h3.scores[0].why).toBe('0 MiB committed, 81% free after');
  });

  it('power saving: packs onto the busiest host that fits, keeps the empty one empty', () => {
    const d = run(hosts(), cluster({ policy: SchedulingPolicy.PowerSaving }));
    expect(d.hostName).toBe('h1');
    expect(d.hosts.find((h) => h.hostName === 'h3')!.scores[1].why).toMatch(/empty/);
  });

  it('none: the first fitting host by name', () => {
    expect(run(hosts(), cluster({ policy: SchedulingPolicy.None })).hostName).toBe('h1');
  });

  it('soft affinity outweighs the policy but does not filter', () => {
    const soft = rule({ enforcing: false });
    const d = run(
      [host('h1', { vmIds: ['vm-a'], vmCount: 1 }), host('h2', { committedMib: 2048 })],
      cluster(),
      [soft],
    );
    expect(d.hostName).toBe('h2');
    expect(d.hosts.find((h) => h.hostName === 'h1')!.scores[2].why).toBe('would break negative apart');
    const only = run([host('h1', { vmIds: ['vm-a'] })], cluster(), [soft]);
    expect(only.hostName).toBe('h1');
  });
});

describe('decide: VM↔host affinity', () => {
  const pinned = (polarity: 'positive' | 'negative', enforcing = true): SchedRule =>
    rule({ polarity, enforcing, others: new Map(), hosts: new Map([['id-h1', 'h1']]) });

  it('an enforcing positive group pins the VM to its hosts; a negative one keeps it off them', () => {
    const p = run([host('h1'), host('h2')], cluster(), [pinned('positive')]);
    expect(p.hostName).toBe('h1');
    expect(reasonOf(p, 'h2')).toEqual({
      filter: 'affinity',
      reason: 'positive affinity group apart pins its VMs to h1',
    });
    const n = run([host('h1'), host('h2', { committedMib: 3000 })], cluster(), [pinned('negative')]);
    expect(n.hostName).toBe('h2');
    expect(reasonOf(n, 'h1')).toEqual({
      filter: 'affinity',
      reason: 'negative affinity group apart keeps its VMs off h1',
    });
  });

  it('a group with hosts does not also keep its VMs apart from each other', () => {
    const r = rule({ others: new Map([['vm-a', 'a']]), hosts: new Map([['id-h2', 'h2']]) });
    const d = run([host('h1', { vmIds: ['vm-a'] }), host('h2')], cluster(), [r]);
    expect(d.hostName).toBe('h1');
  });

  it('a hard rule no host can meet leaves no host, the rule named in the summary', () => {
    const d = run([host('h1')], cluster(), [pinned('negative')]);
    expect(d.hostId).toBeNull();
    expect(d.summary).toMatch(/h1: negative affinity group apart keeps its VMs off h1/);
  });

  it('a soft VM↔host group is a weight: preferred, not required', () => {
    const d = run([host('h1', { committedMib: 3000 }), host('h2')], cluster(), [pinned('positive', false)]);
    expect(d.hostName).toBe('h1');
    expect(
      d.hosts.find((h) => h.hostName === 'h2')!.scores.find((s) => s.weight === 'affinity'),
    ).toMatchObject({
      score: 0,
      why: 'would break positive apart',
    });
  });
});
