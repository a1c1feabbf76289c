import type { AffinityGroup } from '@kelpie/shared-types';
import { affinityViolations, PlacedVm } from './affinity-violations';

const group = (over: Partial<AffinityGroup>): AffinityGroup => ({
  id: 'g1',
  clusterId: 'c1',
  name: 'g',
  description: '',
  polarity: 'negative',
  enforcing: true,
  vmIds: [],
  hostIds: [],
  createdAt: '',
  updatedAt: '',
  ...over,
});
const vms = new Map<string, PlacedVm>(
  [
    { id: 'a', name: 'va', hostId: 'h1' },
    { id: 'b', name: 'vb', hostId: 'h1' },
    { id: 'c', name: 'vc', hostId: 'h2' },
    { id: 'd', name: 'vd', hostId: null },
  ].map((v) => [v.id, v]),
);
const hosts = new Map([
  ['h1', 'host1'],
  ['h2', 'host2'],
]);
const brief = (g: AffinityGroup) =>
  affinityViolations([g], vms, hosts).map((v) => `${v.vmName}@${v.hostName}: ${v.reason}`);

describe('affinityViolations', () => {
  it('negative VM↔VM: each member sharing a host; a VM defined nowhere breaks nothing', () => {
    expect(brief(group({ vmIds: ['a', 'b', 'c', 'd'] }))).toEqual([
      'va@host1: shares host1 with vb',
      'vb@host1: shares host1 with va',
    ]);
  });

  it('positive VM↔VM: the members away from the host most of them share', () => {
    expect(brief(group({ polarity: 'positive', vmIds: ['a', 'b', 'c'] }))).toEqual([
      "vc@host2: apart from the group's other VMs on host1",
    ]);
  });

  it('VM↔host: off its pinned hosts, or on a host it is kept off', () => {
    expect(brief(group({ polarity: 'positive', vmIds: ['c'], hostIds: ['h1'] }))).toEqual([
      'vc@host2: pinned to host1, defined on host2',
    ]);
    expect(brief(group({ vmIds: ['a', 'c'], hostIds: ['h2'] }))).toEqual([
      'vc@host2: kept off host2, defined there',
    ]);
  });

  it('no violation when every member keeps the group', () => {
    expect(brief(group({ vmIds: ['a', 'c'] }))).toEqual([]);
  });
});
