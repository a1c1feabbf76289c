import {
  DEFAULT_SCHEDULING_THRESHOLDS,
  HostStatus,
  SchedulingPolicy,
  SchedulingThresholds,
} from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';
import type { SchedRule } from '../scheduling/scheduling.model';
import { schedHost } from '../scheduling/scheduling.service';
import { BalanceHost, BalanceInput, BalanceVm, planBalance } from './plan-balance';

/** A host as the service builds it from its record (4 GiB, 4 CPUs, nothing defined yet). */
const host = (name: string, over: Partial<BalanceHost> = {}): BalanceHost => ({
  ...schedHost(
    {
      id: `id-${name}`,
      name,
      clusterId: 'c1',
      status: HostStatus.Up,
      capabilities: { memoryKiB: 4096 * 1024, cpu: { count: 4 }, virtualization: 'tcg' },
    } as unknown as HostEntity,
    { committedMib: 0, vmIds: [] },
  ),
  load1: 0,
  ...over,
});
const vm = (name: string, hostName: string, memoryMib = 128, rules: SchedRule[] = []): BalanceVm => ({
  id: `vm-${name}`,
  name,
  clusterId: 'c1',
  memoryMib,
  vcpus: 1,
  hostId: `id-${hostName}`,
  rules,
});

/** Hosts carrying the given VMs (committed memory and ids as the scheduler repository reports). */
function input(
  policy: SchedulingPolicy,
  hosts: BalanceHost[],
  running: BalanceVm[],
  over: Partial<BalanceInput> & { thresholds?: Partial<SchedulingThresholds> } = {},
): BalanceInput {
  const placed = hosts.map((h) => {
    const mine = running.filter((v) => v.hostId === h.id);
    return {
      ...h,
      committedMib: h.committedMib + mine.reduce((n, v) => n + v.memoryMib, 0),
      vmIds: [...h.vmIds, ...mine.map((v) => v.id)],
      vmCount: h.vmCount + mine.length,
    };
  });
  return {
    cluster: {
      id: 'c1',
      policy,
      cpuModel: null,
      reserveMib: 256,
      thresholds: { ...DEFAULT_SCHEDULING_THRESHOLDS, ...over.thresholds },
      balancingEnabled: true,
    },
    hosts: placed,
    running,
    coolingDown: new Set(),
    batch: 10,
    ...over,
  };
}
const moves = (p: ReturnType<typeof planBalance>) =>
  p.moves.map((m) => `${m.vmName}:${m.fromHostName}>${m.toHostName}`);
const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => vm(n, 'h1'));
const three = [host('h1'), host('h2'), host('h3')];

describe('planBalance: vm_count', () => {
  const vmCount = (maxSpread: number) => ({ thresholds: { vmCount: { maxSpread } } });

  it('spreads six VMs of one host over three until the spread is within maxSpread', () => {
    const p = planBalance(input(SchedulingPolicy.VmCount, three, six, vmCount(1)));
    expect(moves(p)).toEqual(['a:h1>h2', 'b:h1>h3', 'c:h1>h2', 'd:h1>h3']);
    expect(p.withinThresholds).toBe(false);
    expect(p.moves[0].reason).toMatch(
      /^VM count: h1 runs 6 VMs, h2 0 \(spread 6 > 1\); to h2: fewest running VMs/,
    );
    expect(p.summary).toMatch(/^4 move\(s\): VM count: h1 runs 6 VMs/);
    expect(p.hosts.map((h) => [h.hostName, h.runningVms, h.state])).toEqual([
      ['h1', 6, 'over'],
      ['h2', 0, 'under'],
      ['h3', 0, 'under'],
    ]);
  });

  it('stops at the batch size and says more moves follow', () => {
    const p = planBalance(input(SchedulingPolicy.VmCount, three, six, { ...vmCount(1), batch: 2 }));
    expect(moves(p)).toEqual(['a:h1>h2', 'b:h1>h3']);
    expect(p.summary).toMatch(/more moves follow in later runs$/);
  });

  it('is within thresholds when the spread is at most maxSpread: no moves', () => {
    const p = planBalance(
      input(SchedulingPolicy.VmCount, three, [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h2')], vmCount(2)),
    );
    expect(p).toMatchObject({
      withinThresholds: true,
      moves: [],
      summary: "every host is within the VM count policy's thresholds",
    });
  });

  it('leaves VMs in their cool-down where they are and names them', () => {
    const p = planBalance(
      input(SchedulingPolicy.VmCount, three, six, { ...vmCount(1), coolingDown: new Set(['vm-a', 'vm-b']) }),
    );
    expect(moves(p)).toEqual(['c:h1>h2', 'd:h1>h3', 'e:h1>h2', 'f:h1>h3']);
    expect(p.coolingDown).toEqual(['a', 'b']);
  });

  it('a negative VM↔host rule keeps its VM off those hosts; a VM pinned to its host stays', () => {
    const offH2: SchedRule = {
      id: 'g1',
      name: 'not-h2',
      polarity: 'negative',
      enforcing: true,
      others: new Map(),
      hosts: new Map([['id-h2', 'h2']]),
    };
    const pinned: SchedRule = {
      ...offH2,
      id: 'g2',
      name: 'pin',
      polarity: 'positive',
      hosts: new Map([['id-h1', 'h1']]),
    };
    const vms = [vm('a', 'h1', 128, [pinned]), vm('b', 'h1', 128, [offH2]), vm('c', 'h1'), vm('d', 'h1')];
    const p = planBalance(input(SchedulingPolicy.VmCount, three, vms, vmCount(1)));
    // a stays (pinned to h1); b may only go to h3; c then takes h2.
    expect(moves(p)).toEqual(['b:h1>h3', 'c:h1>h2']);
    expect(p.moves.every((m) => !(m.vmName === 'b' && m.toHostName === 'h2'))).toBe(true);
  });

  it('never targets a host that is not up, and reports it excluded', () => {
    const hosts = [host('h1'), host('h2', { status: HostStatus.Maintenance }), host('h3')];
    const p = planBalance(input(SchedulingPolicy.VmCount, hosts, six.slice(0, 4), vmCount(1)));
    expect(moves(p)).toEqual(['a:h1>h3', 'b:h1>h3']);
    expect(p.hosts[1]).toMatchObject({ hostName: 'h2', state: 'excluded' });
  });

  it('over but nothing can move: not within thresholds, no moves, says so', () => {
    const full = [host('h1'), host('h2', { memoryMib: 300 })];
    const p = planBalance(
      input(SchedulingPolicy.VmCount, full, [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h1')], vmCount(1)),
    );
    expect(p).toMatchObject({ withinThresholds: false, moves: [] });
    expect(p.summary).toMatch(/but no VM can move/);
  });
});

describe('planBalance: evenly distributed', () => {
  it('moves the biggest VMs off a host above its memory high watermark to hosts below the low one', () => {
    const vms = [vm('a', 'h1', 1024), vm('b', 'h1', 2048), vm('c', 'h1', 512)];
    const p = planBalance(input(SchedulingPolicy.EvenlyDistributed, three, vms));
    // h1: 3584/4096 = 88% > 80%. b (2 GiB) moves to h2 → h1 at 38%.
    expect(moves(p)).toEqual(['b:h1>h2']);
    expect(p.moves[0].reason).toMatch(
      /^evenly distributed: h1 is over its high watermark \(committed memory 88% > 80%\)/,
    );
  });

  it('moves VMs off a host whose CPU load is above the CPU high watermark', () => {
    const hosts = [host('h1', { load1: 3.8 }), host('h2', { load1: 0.4 })];
    const p = planBalance(input(SchedulingPolicy.EvenlyDistributed, hosts, [vm('a', 'h1'), vm('b', 'h1')]));
    expect(moves(p)).toEqual(['a:h1>h2']);
    expect(p.moves[0].reason).toMatch(/CPU load 95% > 80%/);
    expect(p.hosts.map((h) => h.cpuPercent)).toEqual([95, 10]);
  });

  it('never pushes a receiver above the high watermark, and needs it below the low one', () => {
    const hosts = [host('h1'), host('h2', { committedMib: 2600 })];
    const p = planBalance(input(SchedulingPolicy.EvenlyDistributed, hosts, [vm('a', 'h1', 3400)]));
    expect(p.moves).toEqual([]);
    expect(p.withinThresholds).toBe(false);
  });
});

describe('planBalance: power saving', () => {
  it('empties the least used host onto busier ones and reports the hosts that can be powered down', () => {
    const vms = [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h2'), vm('d', 'h3')];
    const p = planBalance(input(SchedulingPolicy.PowerSaving, three, vms));
    expect(moves(p)).toEqual(['d:h3>h1', 'c:h2>h1']);
    expect(p.moves[0].reason).toMatch(/^power saving: h3 is under its low utilisation \(3% < 20%\), emptied/);
    expect(p.powerDownCandidates.map((h) => h.hostName)).toEqual(['h2', 'h3']);
  });

  it('moves VMs off a host above its high utilisation first', () => {
    const hosts = [host('h1'), host('h2', { committedMib: 1000 })];
    const p = planBalance(
      input(SchedulingPolicy.PowerSaving, hosts, [vm('a', 'h1', 2000), vm('b', 'h1', 1500)]),
    );
    expect(moves(p)[0]).toBe('a:h1>h2');
    expect(p.moves[0].reason).toMatch(/over its high utilisation \(85% > 80%\)/);
  });

  it('keeps one host on when every host is empty', () => {
    const p = planBalance(input(SchedulingPolicy.PowerSaving, three, []));
    expect(p.powerDownCandidates.map((h) => h.hostName)).toEqual(['h2', 'h3']);
    expect(p.withinThresholds).toBe(true);
  });
});

describe('planBalance: policy none', () => {
  it('never moves anything', () => {
    const p = planBalance(input(SchedulingPolicy.None, three, six));
    expect(p).toMatchObject({
      moves: [],
      withinThresholds: true,
      summary: 'no scheduling policy: balancing never moves VMs',
    });
  });
});
