import { GrantObjectType, Permission } from '@kelpie/shared-types';
import type { ModuleRef } from '@nestjs/core';
import {
  AccessLink,
  ClusterAccess,
  DatacenterAccess,
  DiskAccess,
  HostAccess,
  MigrationAccess,
  NetworkAccess,
  NicAccess,
  SnapshotAccess,
  StorageDomainAccess,
  TaskAccess,
  VmAccess,
} from './access-tree.port';
import { AccessRepository, HeldGrant } from './access.repository';

const ref = (type: GrantObjectType, id: string) => ({ type, id });
const DC = ref(GrantObjectType.DataCenter, 'dc1');
const C1 = ref(GrantObjectType.Cluster, 'c1');
const H1 = ref(GrantObjectType.Host, 'h1');
const V1 = ref(GrantObjectType.Vm, 'v1');
const SD = ref(GrantObjectType.StorageDomain, 'sd1');

/** Each owner's rows, as its repository answers its port; every question is counted per owner. */
function owners() {
  const links: Record<string, Record<string, AccessLink>> = {
    datacenter: { dc1: { refs: [DC] } },
    cluster: { c1: { refs: [C1, DC] } },
    host: { h1: { refs: [H1], up: { type: 'cluster', id: 'c1' } } },
    storage_domain: { sd1: { refs: [SD, DC] } },
    network: {},
    vm: { v1: { refs: [V1, C1, DC] } },
    disk: {
      d1: { refs: [], up: { type: 'vm', id: 'v1' } },
      floating: { refs: [], up: { type: 'storage_domain', id: 'sd1' } },
      orphan: { refs: [], up: { type: 'vm', id: 'gone' } },
    },
    nic: { n1: { refs: [], up: { type: 'vm', id: 'v1' } } },
    snapshot: { s1: { refs: [], up: { type: 'vm', id: 'v1' } } },
    migration: { m1: { refs: [], up: { type: 'vm', id: 'v1' } } },
    task: {
      t1: { refs: [], up: { type: 'disk', id: 'd1' } },
      onTask: { refs: [], up: { type: 'task', id: 't1' } },
      onTemplate: { refs: [], up: { type: 'template', id: 'x' } },
    },
  };
  const asked: string[] = [];
  const visibleAsked: Record<string, unknown> = {};
  const port = (kind: string, visible?: string[]) => ({
    accessLink: async (id: string) => {
      asked.push(`${kind}:${id}`);
      return links[kind]![id] ?? null;
    },
    visibleUnder: async (ids: string[], under: { cluster: string[]; datacenter: string[] }) => {
      visibleAsked[kind] = { ids, under };
      return new Set([...ids, ...(visible ?? [])]);
    },
  });
  const ports = new Map<unknown, unknown>([
    [DatacenterAccess, port('datacenter')],
    [ClusterAccess, port('cluster', ['c1'])],
    [HostAccess, port('host', ['h1'])],
    [StorageDomainAccess, port('storage_domain', ['sd1'])],
    [NetworkAccess, port('network')],
    [VmAccess, port('vm', ['v1'])],
    [DiskAccess, port('disk')],
    [NicAccess, port('nic')],
    [SnapshotAccess, port('snapshot')],
    [MigrationAccess, port('migration')],
    [TaskAccess, port('task')],
  ]);
  const lookups: unknown[] = [];
  const moduleRef = {
    get: (token: unknown, opts: { strict: boolean }) => {
      expect(opts).toEqual({ strict: false });
      lookups.push(token);
      return ports.get(token);
    },
  } as unknown as ModuleRef;
  const query = jest.fn();
  const repo = new AccessRepository({ query } as never, moduleRef);
  return { repo, asked, visibleAsked, lookups, query };
}

describe('AccessRepository.chain: the ancestors, each asked of its owner', () => {
  it('a VM in one question: its row names its cluster and datacenter', async () => {
    const { repo, asked, query } = owners();
    await expect(repo.chain('vm', 'v1')).resolves.toEqual([V1, C1, DC]);
    expect(asked).toEqual(['vm:v1']);
    expect(query).not.toHaveBeenCalled();
  });

  it('a host: the host, then its cluster (one question per owner)', async () => {
    const { repo, asked } = owners();
    await expect(repo.chain('host', 'h1')).resolves.toEqual([H1, C1, DC]);
    expect(asked).toEqual(['host:h1', 'cluster:c1']);
  });

  it('a disk inherits from its VM, a floating one from its storage domain; a NIC, snapshot or migration from its VM', async () => {
    const { repo } = owners();
    await expect(repo.chain('disk', 'd1')).resolves.toEqual([V1, C1, DC]);
    await expect(repo.chain('disk', 'floating')).resolves.toEqual([SD, DC]);
    await expect(repo.chain('nic', 'n1')).resolves.toEqual([V1, C1, DC]);
    await expect(repo.chain('snapshot', 's1')).resolves.toEqual([V1, C1, DC]);
    await expect(repo.chain('migration', 'm1')).resolves.toEqual([V1, C1, DC]);
  });

  it("a task inherits from its target's chain", async () => {
    const { repo, asked } = owners();
    await expect(repo.chain('task', 't1')).resolves.toEqual([V1, C1, DC]);
    expect(asked).toEqual(['task:t1', 'disk:d1', 'vm:v1']);
  });

  it('null when the object, or a link of its chain, does not exist', async () => {
    const { repo } = owners();
    await expect(repo.chain('vm', 'nope')).resolves.toBeNull();
    await expect(repo.chain('disk', 'orphan')).resolves.toBeNull();
    await expect(repo.chain('network', 'n9')).resolves.toBeNull();
  });

  it('null for a task whose target is a task or a kind the tree does not know (never asked further)', async () => {
    const { repo, asked } = owners();
    await expect(repo.chain('task', 'onTask')).resolves.toBeNull();
    await expect(repo.chain('task', 'onTemplate')).resolves.toBeNull();
    expect(asked).toEqual(['task:onTask', 'task:onTemplate']);
  });

  it('looks each port up once', async () => {
    const { repo, lookups } = owners();
    await repo.chain('host', 'h1');
    await repo.chain('host', 'h1');
    expect(lookups).toEqual([HostAccess, ClusterAccess]);
  });
});

describe('AccessRepository.visibleIds: view grants pushed down, each kind asked of its owner', () => {
  const grant = (
    objectType: GrantObjectType,
    objectId: string,
    permissions: Permission[] = [Permission.View],
  ): HeldGrant => ({
    objectType,
    objectId,
    permissions,
  });

  it('asks clusters under the datacenters first, then hosts and VMs under those clusters', async () => {
    const { repo, visibleAsked } = owners();
    const vis = await repo.visibleIds([
      grant(GrantObjectType.DataCenter, 'dc1'),
      grant(GrantObjectType.Vm, 'v7'),
      // Not a view grant: pushes nothing down.
      grant(GrantObjectType.Host, 'h9', [Permission.VmPower]),
    ]);
    expect(visibleAsked).toEqual({
      cluster: { ids: [], under: { cluster: [], datacenter: ['dc1'] } },
      host: { ids: [], under: { cluster: ['c1'], datacenter: [] } },
      vm: { ids: ['v7'], under: { cluster: ['c1'], datacenter: ['dc1'] } },
      storage_domain: { ids: [], under: { cluster: [], datacenter: ['dc1'] } },
      network: { ids: [], under: { cluster: [], datacenter: ['dc1'] } },
    });
    expect(vis).toEqual({
      datacenter: new Set(['dc1']),
      cluster: new Set(['c1']),
      host: new Set(['h1']),
      vm: new Set(['v7', 'v1']),
      storage_domain: new Set(['sd1']),
      network: new Set(),
    });
  });
});
