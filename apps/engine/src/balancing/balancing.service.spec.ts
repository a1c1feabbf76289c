import { DEFAULT_SCHEDULING_THRESHOLDS, HostStatus, Task } from '@kelpie/shared-types';
import type Redis from 'ioredis';
import type { EngineConfig } from '../config/config.schema';
import type { EventsService } from '../events/events.service';
import type { HostEntity } from '../hosts/host.entity';
import type { SchedulingRepository } from '../scheduling/scheduling.repository';
import type { StreamService } from '../stream/stream.service';
import type { TasksService } from '../tasks/tasks.service';
import type { MigrationRepository } from '../vm-migration/migration.repository';
import type { VmMigrationService } from '../vm-migration/vm-migration.service';
import { BalancingService } from './balancing.service';

const host = (name: string) =>
  ({
    id: `id-${name}`,
    name,
    clusterId: 'c1',
    status: HostStatus.Up,
    load: { load1: 0 },
    capabilities: { memoryKiB: 4 * 1024 * 1024, cpu: { count: 2 }, virtualization: 'tcg' },
  }) as unknown as HostEntity;
const vms = ['a', 'b', 'c', 'd'].map((n) => ({
  id: `vm-${n}`,
  name: n,
  clusterId: 'c1',
  memoryMib: 64,
  vcpus: 1,
  hostId: 'id-h1',
}));

function service(
  opts: {
    enabled?: boolean;
    migrating?: number;
    /** A VM of h1 whose migration still runs: its status is migrating, so it is not among the running. */
    migratingVm?: string;
    refuse?: string;
    tasks?: Record<string, Task[]>;
  } = {},
) {
  const repo = {
    cluster: jest.fn(async () => ({
      id: 'c1',
      schedulingPolicy: 'vm_count',
      cpuModel: null,
      balancingEnabled: opts.enabled ?? true,
      schedulingThresholds: { ...DEFAULT_SCHEDULING_THRESHOLDS, vmCount: { maxSpread: 1 } },
    })),
    hostsOf: jest.fn(async () => [host('h1'), host('h2')]),
    loadOf: jest.fn(
      async (ids: string[]) =>
        new Map(
          ids.map((id) => [
            id,
            id === 'id-h1'
              ? {
                  committedMib: 256,
                  vmIds: [...vms.map((v) => v.id), ...(opts.migratingVm ? [opts.migratingVm] : [])],
                }
              : { committedMib: 0, vmIds: [] },
          ]),
        ),
    ),
    bridgesOf: jest.fn(async () => new Map()),
    runningVmsOf: jest.fn(async () => vms),
    networksOf: jest.fn(async () => []),
    rulesFor: jest.fn(async () => []),
    balancedClusterIds: jest.fn(async () => ['c1']),
  } as unknown as SchedulingRepository;
  const rows = {
    movedSince: jest.fn(async () => new Set(['vm-a'])),
    runningAmong: jest.fn(async (ids: string[]) =>
      opts.migratingVm && ids.includes(opts.migratingVm) ? 1 : (opts.migrating ?? 0),
    ),
  } as unknown as MigrationRepository;
  const migrate = jest.fn(async (vmId: string) => {
    if (opts.refuse === vmId) throw new Error('VM is not running');
    return { id: `task-${vmId}` };
  });
  const record = jest.fn(async () => ({}));
  const redis = { set: jest.fn(async () => 'OK'), get: jest.fn(async () => null), del: jest.fn() };
  const config = {
    redisPrefix: 't',
    balancing: { intervalMs: 0, batch: 2, cooldownMs: 60_000 },
  } as unknown as EngineConfig;
  const svc = new BalancingService(
    config,
    redis as unknown as Redis,
    repo,
    rows,
    { migrate } as unknown as VmMigrationService,
    { record } as unknown as EventsService,
    { engineId: 'e1' } as unknown as StreamService,
    {
      list: jest.fn(async (q: { type: string }) => ({ items: opts.tasks?.[q.type] ?? [], total: 0 })),
    } as unknown as TasksService,
  );
  return { svc, migrate, record, redis };
}

describe('BalancingService', () => {
  it('starts the planned batch as migrations with the balancing reason, skipping VMs in their cool-down', async () => {
    const { svc, migrate } = service();
    const plan = await svc.plan('c1');
    expect(plan.coolingDown).toEqual(['a']);
    const tasks = await svc.runCluster('c1');
    expect(tasks.map((t) => t.id)).toEqual(['task-vm-b', 'task-vm-c']);
    expect(migrate).toHaveBeenCalledWith(
      'vm-b',
      { targetHostId: 'id-h2' },
      { actor: 'balancer', correlationId: expect.stringMatching(/^balance-/) },
      undefined,
      expect.stringMatching(/^balancing VM count: h1 runs 4 VMs, h2 0 \(spread 4 > 1\); to h2/),
    );
    expect(plan.moves.map((m) => m.vmId)).toEqual(['vm-b', 'vm-c']);
  });

  it('waits while a migration of the cluster is still running (one batch at a time)', async () => {
    const { svc, migrate } = service({ migrating: 1 });
    expect(await svc.runCluster('c1')).toEqual([]);
    expect(migrate).not.toHaveBeenCalled();
  });

  it('waits while a VM of the cluster is being moved (migrating, so not among its running VMs)', async () => {
    const { svc, migrate } = service({ migratingVm: 'vm-m' });
    expect(await svc.runCluster('c1')).toEqual([]);
    expect(migrate).not.toHaveBeenCalled();
  });

  it('does nothing for a cluster whose balancing is off (the dry run still plans)', async () => {
    const { svc, migrate } = service({ enabled: false });
    expect((await svc.plan('c1')).moves).toHaveLength(2);
    expect(await svc.runCluster('c1')).toEqual([]);
    expect(migrate).not.toHaveBeenCalled();
  });

  it('records an event when a planned move is refused, and goes on', async () => {
    const { svc, record } = service({ refuse: 'vm-b' });
    expect((await svc.runCluster('c1')).map((t) => t.id)).toEqual(['task-vm-c']);
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'cluster.balancing_move_refused',
        message: 'balancing could not move VM b to h2: VM is not running',
      }),
    );
  });

  it('runs only when it holds the Redis lock (one engine at a time)', async () => {
    const { svc, redis, migrate } = service();
    redis.set.mockResolvedValueOnce(null as never);
    await svc.runLocked();
    expect(migrate).not.toHaveBeenCalled();
    await svc.runLocked();
    expect(migrate).toHaveBeenCalledTimes(2);
  });

  it('pauses for a host being evacuated: neither a source nor a target, and says why', async () => {
    const evacuation = {
      id: 'm-1',
      type: 'host.maintenance',
      target: { type: 'host', id: 'id-h2' },
      steps: [],
    };
    const { svc, migrate } = service({ tasks: { 'host.maintenance': [evacuation as unknown as Task] } });
    const plan = await svc.plan('c1');
    expect(plan.moves).toEqual([]);
    expect(plan.hosts.find((h) => h.hostName === 'h2')).toMatchObject({
      state: 'excluded',
      excludedBecause: 'paused: being evacuated for maintenance (task m-1)',
    });
    expect(await svc.runCluster('c1')).toEqual([]);
    expect(migrate).not.toHaveBeenCalled();
  });

  it('pauses for the hosts a rolling maintenance has not finished yet, not for those it has', async () => {
    const rolling = (h2: 'done' | 'pending') =>
      ({
        id: 'r-1',
        type: 'cluster.rolling_maintenance',
        target: { type: 'cluster', id: 'c1' },
        steps: [
          { name: 'h2', objectId: 'id-h2', status: h2 },
          { name: 'h9', objectId: 'id-h9', status: 'pending' },
        ],
      }) as unknown as Task;
    const pending = service({ tasks: { 'cluster.rolling_maintenance': [rolling('pending')] } });
    expect((await pending.svc.plan('c1')).moves).toEqual([]);
    const done = service({ tasks: { 'cluster.rolling_maintenance': [rolling('done')] } });
    expect((await done.svc.plan('c1')).moves.map((m) => m.toHostName)).toEqual(['h2', 'h2']);
  });
});
