import { HostStatus } from '@kelpie/shared-types';
import type { CommandBus } from '../agents/command-bus.service';
import type { HostEntity } from '../hosts/host.entity';
import type { SchedulingRepository } from './scheduling.repository';
import { clusterCpu, SchedulingService } from './scheduling.service';

const host = (name: string, status: HostStatus = HostStatus.Up) =>
  ({
    id: `id-${name}`,
    name,
    clusterId: 'c1',
    status,
    capabilities: { memoryKiB: 4 * 1024 * 1024, cpu: { count: 2 }, virtualization: 'tcg' },
  }) as unknown as HostEntity;

function service(missing: Record<string, string[]> = {}) {
  const repo = {
    cluster: jest.fn(async () => ({ id: 'c1', schedulingPolicy: 'evenly_distributed', cpuModel: null })),
    loadOf: jest.fn(async (ids: string[]) => new Map(ids.map((id) => [id, { committedMib: 0, vmIds: [] }]))),
    rulesFor: jest.fn(async () => []),
    networksOf: jest.fn(async () => []),
    bridgesOf: jest.fn(async () => new Map()),
  } as unknown as SchedulingRepository;
  const send = jest.fn(async (hostId: string) => ({
    missingPaths: missing[hostId] ?? [],
    missingBridges: [],
  }));
  return { svc: new SchedulingService(repo, { send } as unknown as CommandBus), send };
}
const vm = { id: 'v1', name: 'v1', clusterId: 'c1', memoryMib: 128, vcpus: 1 };

describe('SchedulingService', () => {
  it('asks the agents only of hosts that pass the other filters, and filters on their answers', async () => {
    const { svc, send } = service({ 'id-h1': ['/sd'] });
    const hosts = [host('h1'), host('h2'), host('h3', HostStatus.Maintenance)];
    const d = await svc.decide(vm, hosts, { checks: svc.resourceChecks(['/sd'], []) });
    expect(send.mock.calls.map((c) => c[0]).sort()).toEqual(['id-h1', 'id-h2']);
    expect(d.hostName).toBe('h2');
    expect(d.hosts[0].filteredBy).toEqual({ filter: 'host-checks', reason: 'host lacks storage /sd' });
    expect(d.hosts[2].filteredBy?.filter).toBe('status');
  });

  it('counts what an evacuation already promised to a host', async () => {
    const { svc } = service();
    const d = await svc.decide(vm, [host('h1'), host('h2')], {
      pending: new Map([['id-h1', { memoryMiB: 1024, vms: 1 }]]),
    });
    expect(d.hostName).toBe('h2');
  });

  it('turns the cluster CPU model into the domain spec', () => {
    expect(clusterCpu(null)).toBeUndefined();
    expect(clusterCpu('qemu64')).toEqual({ mode: 'custom', model: 'qemu64' });
    expect(clusterCpu('host-model')).toEqual({ mode: 'host-model' });
  });
});
