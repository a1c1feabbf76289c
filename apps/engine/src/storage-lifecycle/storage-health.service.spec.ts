import { HostStatus, StorageDomainStatus, StorageStatusReport } from '@kelpie/shared-types';
import { PoolActivation } from './pool-activation';
import { StorageHealthService } from './storage-health.service';

const SD = {
  id: '11111111-2222-3333-4444-555555555555',
  name: 'sd1',
  type: 'local',
  path: '/srv/a',
  connection: {},
};
const POOL = `kelpie-${SD.id}`;

function setup(
  hostStatus: HostStatus,
  failures: { domainName: string; error: string | null }[] = [],
  statusReason: string | null = null,
) {
  const host = { id: 'h', name: 'h2', status: hostStatus, statusReason };
  const recorded: unknown[] = [];
  const repo = {
    domainsInUseFor: jest.fn(async () => [SD]),
    record: jest.fn(async (_sd: string, _h: string, r: unknown) => void recorded.push(r)),
    views: jest.fn(async () => [{ hostName: 'h2', status: 'failed', error: 'gone' }]),
    failuresOf: jest.fn(async () => failures),
  };
  const domains = {
    get: jest.fn(async () => ({ ...SD, status: StorageDomainStatus.Active, statusReason: null })),
    setStatus: jest.fn(async () => undefined),
  };
  const hosts = {
    get: jest.fn(async () => host),
    setStatus: jest.fn(async (_id: string, status: HostStatus, reason: string | null) => {
      host.status = status;
      host.statusReason = reason;
    }),
  };
  const guard = {
    send: jest.fn(async () => ({
      name: POOL,
      active: true,
      capacityBytes: 1,
      availableBytes: 1,
      error: null,
    })),
  };
  const svc = new StorageHealthService(
    repo as never,
    domains as never,
    hosts as never,
    guard as never,
    {
      onStorageStatus: () => undefined,
    } as never,
    new PoolActivation({ forPool: async () => null } as never),
  );
  return { svc, repo, domains, hosts, guard, host, recorded };
}

const report = (pools: StorageStatusReport['pools']): StorageStatusReport => ({
  kind: 'storage-status',
  hostId: 'h',
  sentAt: new Date().toISOString(),
  pools,
});

describe('storage health from agent reports', () => {
  it('records a failing pool, degrades the domain naming the host, and makes the host non-operational', async () => {
    const t = setup(HostStatus.Up, [{ domainName: 'sd1', error: 'gone' }]);
    await t.svc.applyReport(
      report([{ name: POOL, active: false, capacityBytes: null, availableBytes: null, error: 'gone' }]),
    );
    expect(t.recorded).toEqual([
      { status: 'failed', capacityBytes: null, availableBytes: null, error: 'gone' },
    ]);
    expect(t.domains.setStatus).toHaveBeenCalledWith(SD.id, 'degraded', 'no host can use it (h2: gone)');
    expect(t.hosts.setStatus).toHaveBeenCalledWith(
      'h',
      HostStatus.NonOperational,
      'cannot reach storage domain sd1 (gone)',
    );
  });

  it('brings a host it made non-operational back up once it reaches every domain', async () => {
    const t = setup(HostStatus.NonOperational, [], 'cannot reach storage domain sd1 (gone)');
    await t.svc.applyReport(
      report([{ name: POOL, active: true, capacityBytes: 10, availableBytes: 5, error: null }]),
    );
    expect(t.hosts.setStatus).toHaveBeenCalledWith('h', HostStatus.Up, null);
  });

  it('leaves a host non-operational for another reason (a missing required network) to its own check', async () => {
    const t = setup(HostStatus.NonOperational, [], 'required network(s) missing: jumbo (bridge br-jumbo)');
    await t.svc.applyReport(
      report([{ name: POOL, active: true, capacityBytes: 10, availableBytes: 5, error: null }]),
    );
    expect(t.hosts.setStatus).not.toHaveBeenCalled();
  });

  it('defines the pool on a serving host whose report lacks it', async () => {
    const t = setup(HostStatus.Up, []);
    await t.svc.applyReport(report([]));
    await new Promise((r) => setImmediate(r));
    expect(t.guard.send).toHaveBeenCalledWith('h', 'storage.pool.activate', {
      pool: { type: 'dir', name: POOL, path: '/srv/a', build: true },
    });
  });

  it('ignores hosts that do not serve (maintenance, not responding)', async () => {
    const t = setup(HostStatus.Maintenance);
    await t.svc.applyReport(report([]));
    expect(t.repo.domainsInUseFor).not.toHaveBeenCalled();
    expect(t.guard.send).not.toHaveBeenCalled();
  });
});
