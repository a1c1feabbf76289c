import { StorageDomainStatus, StorageDomainType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import type { DisksService } from '../disks/disks.service';
import type { StorageDomainsService } from '../storage-domains/storage-domains.service';
import { TaskUnknowable } from '../tasks/task-adoption';
import { cp, fakeCtx, fakeTasks } from '../vm-guard/adoption.fakes';
import type { VmGuard } from '../vm-guard/vm-guard.service';
import { StorageDestroyService } from './storage-destroy.service';
import type { StorageHealthService } from './storage-health.service';
import { StorageLifecycleAdoption } from './storage-lifecycle-adoption';
import type { StorageLifecycleRepository } from './storage-lifecycle.repository';
import { PoolActivation } from './pool-activation';
import { StorageLifecycleService } from './storage-lifecycle.service';

const SD_ID = '00000000-0000-4000-8000-0000000000d1';
const H1 = { id: 'h1', name: 'lab-h1' };
const H2 = { id: 'h2', name: 'lab-h2' };
const pool = { active: true, error: null, capacityBytes: 100, availableBytes: 50 };

/** The real lifecycle and destroy services over faked records and hosts: `hosts` says what each host
 * answers to a pool command (`silent`: the command fails). */
function setup(o: { sd?: boolean; hosts?: Record<string, 'ok' | 'silent'>; disks?: object[] } = {}) {
  const sd = {
    id: SD_ID,
    name: 'sd1',
    type: StorageDomainType.Dir,
    status: StorageDomainStatus.Inactive,
    datacenterId: 'dc1',
    path: '/srv/sd1',
    connection: {},
  };
  const domains = {
    get: jest.fn(async () => {
      if (o.sd === false) throw new DomainError('not_found', 'no such storage domain');
      return sd;
    }),
    setStatus: jest.fn(async () => undefined),
    remove: jest.fn(async () => undefined),
  } as unknown as StorageDomainsService & { setStatus: jest.Mock; remove: jest.Mock };
  const repo = {
    hostsById: jest.fn(async (ids: string[]) => [H1, H2].filter((h) => ids.includes(h.id))),
    record: jest.fn(async () => undefined),
    forget: jest.fn(async () => undefined),
  } as unknown as StorageLifecycleRepository & { record: jest.Mock; forget: jest.Mock };
  const guard = {
    send: jest.fn(async (host: { id: string }, name: string) => {
      if ((o.hosts ?? {})[host.id] === 'silent') throw new Error('agent not connected');
      return name === 'storage.pool.activate' ? pool : { ok: true };
    }),
  } as unknown as VmGuard & { send: jest.Mock };
  const health = {
    refreshDomain: jest.fn(async () => undefined),
    refreshHost: jest.fn(async () => undefined),
  } as unknown as StorageHealthService;
  const lifecycle = new StorageLifecycleService(
    domains,
    repo,
    {} as never,
    guard,
    health,
    new PoolActivation({
      forPool: async () => null,
    } as never),
  );
  const disks = { remove: jest.fn(async () => undefined) } as unknown as DisksService & { remove: jest.Mock };
  const diskRepo = { onDomain: jest.fn(async () => o.disks ?? []) };
  const destroyer = new StorageDestroyService(domains, disks, diskRepo as never, repo, {} as never, guard);
  const adoption = new StorageLifecycleAdoption(fakeTasks(), domains, repo, lifecycle, destroyer);
  const sent = () => guard.send.mock.calls.map(([h, name]: [{ id: string }, string]) => `${h.id} ${name}`);
  return { adoption, domains, repo, guard, disks, sent };
}

const ctxFor = (type: string) => {
  const ctx = fakeCtx(type);
  (ctx.task as { target: unknown }).target = { type: 'storage_domain', id: SD_ID, name: 'sd1' };
  return ctx;
};
const both = { hostIds: [H1.id, H2.id] };

describe('StorageLifecycleAdoption', () => {
  it('registers for the five storage-domain task types', () => {
    const tasks = fakeTasks();
    new StorageLifecycleAdoption(tasks, {} as never, {} as never, {} as never, {} as never).onModuleInit();
    expect([...tasks.registered.keys()].sort()).toEqual([
      'storage_domain.activate',
      'storage_domain.attach',
      'storage_domain.destroy',
      'storage_domain.detach',
      'storage_domain.maintenance',
    ]);
  });

  it('activate: asks every host of the checkpoint again and ends active with their pool states', async () => {
    const { adoption, domains, repo, sent } = setup();
    const result = await adoption.activate(
      ctxFor('storage_domain.activate'),
      cp('activating', { ...both, before: 'inactive' }),
    );
    expect(sent()).toEqual(['h1 storage.pool.activate', 'h2 storage.pool.activate']);
    expect(repo.record).toHaveBeenCalledTimes(2);
    expect(domains.setStatus).toHaveBeenLastCalledWith(SD_ID, 'active', null, expect.anything());
    expect((result.hosts as { ok: boolean }[]).map((h) => h.ok)).toEqual([true, true]);
  });

  it('activate: a silent host is a failed host step, the domain is active on the other', async () => {
    const { adoption, domains } = setup({ hosts: { h2: 'silent' } });
    const result = await adoption.activate(
      ctxFor('storage_domain.activate'),
      cp('activating', { ...both, before: 'inactive' }),
    );
    expect(result.hosts).toEqual([
      expect.objectContaining({ hostId: 'h1', ok: true }),
      expect.objectContaining({ hostId: 'h2', ok: false, error: 'agent not connected' }),
    ]);
    expect(domains.setStatus).toHaveBeenLastCalledWith(SD_ID, 'active', null, expect.anything());
  });

  it('activate: no host serves it → failed, pools undone and the status put back', async () => {
    const { adoption, domains, repo } = setup({ hosts: { h1: 'silent', h2: 'silent' } });
    await expect(
      adoption.activate(ctxFor('storage_domain.activate'), cp('activating', { ...both, before: 'inactive' })),
    ).rejects.toThrow(/could not be activated on any host: lab-h1: agent not connected/);
    expect(repo.forget).toHaveBeenCalledWith(SD_ID);
    expect(domains.setStatus).toHaveBeenLastCalledWith(SD_ID, 'inactive', null, expect.anything());
  });

  it('maintenance: stops the pool on every host again, then forgets the host views', async () => {
    const { adoption, domains, repo, sent } = setup();
    await adoption.maintenance(ctxFor('storage_domain.maintenance'), cp('deactivating', both));
    expect(domains.setStatus).toHaveBeenCalledWith(SD_ID, 'maintenance', null, expect.anything());
    expect(sent()).toEqual(['h1 storage.pool.deactivate', 'h2 storage.pool.deactivate']);
    expect(repo.forget).toHaveBeenCalledWith(SD_ID);
  });

  it('attach / detach: the record steps are done again', async () => {
    const { adoption, domains, repo } = setup();
    await expect(adoption.simple(ctxFor('storage_domain.attach'), 'attach')).resolves.toEqual({
      storageDomainId: SD_ID,
      status: 'inactive',
    });
    await adoption.simple(ctxFor('storage_domain.detach'), 'detach');
    expect(repo.forget).toHaveBeenCalledWith(SD_ID);
    expect(domains.setStatus).toHaveBeenLastCalledWith(SD_ID, 'detached', null, expect.anything());
  });

  it('a domain gone since the crash → interrupted, naming what to check', async () => {
    const { adoption } = setup({ sd: false });
    await expect(
      adoption.maintenance(ctxFor('storage_domain.maintenance'), cp('deactivating', both)),
    ).rejects.toThrow(TaskUnknowable);
  });

  it('destroy: deletes the volumes still on record, then the disks and the domain', async () => {
    const disk = { id: 'd1', provisionedAt: new Date(), volumePath: '/p/vol-d1.qcow2' };
    const { adoption, domains, disks, guard } = setup({ disks: [disk] });
    await adoption.destroy(ctxFor('storage_domain.destroy'), cp('destroying', { hostIds: [H1.id] }));
    expect(
      guard.send.mock.calls.map(([, name, payload]: [unknown, string, unknown]) => [name, payload]),
    ).toEqual([
      ['storage.pool.activate', expect.anything()],
      ['volume.delete', { pool: `kelpie-${SD_ID}`, name: 'vol-d1.qcow2' }],
      ['storage.pool.deactivate', { name: `kelpie-${SD_ID}` }],
    ]);
    expect(disks.remove).toHaveBeenCalledWith('d1', expect.anything());
    expect(domains.remove).toHaveBeenCalledWith(SD_ID, expect.anything());
  });

  it('destroy: the domain already deleted → succeeded, nothing sent', async () => {
    const { adoption, guard } = setup({ sd: false });
    await expect(adoption.destroy(ctxFor('storage_domain.destroy'), cp('destroying', both))).resolves.toEqual(
      { storageDomainId: SD_ID, alreadyDeleted: true },
    );
    expect(guard.send).not.toHaveBeenCalled();
  });
});
