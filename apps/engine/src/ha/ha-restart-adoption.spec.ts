import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { TaskUnknowable } from '../tasks/task-adoption';
import type { TasksService } from '../tasks/tasks.service';
import { cp, fakeCtx, fakeTasks } from '../vm-guard/adoption.fakes';
import type { VmEntity } from '../vms/vm.entity';
import { HaRestartAdoption } from './ha-restart-adoption';
import { HaRestartService, ReleasedVms } from './ha-restart.service';

const H1 = { id: 'h1', name: 'lab-h1' };
const vm = (name: string, over: Partial<VmEntity> = {}) =>
  ({
    id: `id-${name}`,
    name,
    hostId: null,
    status: VmStatus.Down,
    highlyAvailable: true,
    haPriority: 50,
    external: false,
    ...over,
  }) as VmEntity;

/** The VMs as the database has them now, the tasks active on each, the host's status now; the real
 * HaRestartService decides the restarts (vm.start launches are recorded, never run). */
function setup(o: {
  vms: VmEntity[];
  active?: Record<string, { id: string; type: string }[]>;
  hostStatus?: HostStatus;
  hostGone?: boolean;
}) {
  const started: string[] = [];
  const rows = new Map(o.vms.map((v) => [v.id, v]));
  const vmRepo = {
    byIdsByName: jest.fn(async (ids: string[]) => ids.map((id) => rows.get(id)).filter(Boolean)),
    byId: jest.fn(async (id: string) => rows.get(id) ?? null),
  };
  const vms = {
    setStatus: jest.fn(async (id: string, status: VmStatus, o: { hostId: string | null }) => {
      rows.set(id, { ...rows.get(id)!, status, hostId: o.hostId });
    }),
    get: jest.fn(async (id: string) => ({ id, hostId: 'h2' })),
  };
  const hosts = {
    get: jest.fn(async () => {
      if (o.hostGone) throw new DomainError('not_found', 'no such host');
      return { ...H1, status: o.hostStatus ?? HostStatus.NonResponsive };
    }),
  };
  const tasks = {
    ...fakeTasks(),
    activeOn: jest.fn(async (id: string) => o.active?.[id] ?? []),
    wait: jest.fn(async (id: string) => ({
      id,
      status: id === 'task-failed' ? 'failed' : 'succeeded',
      errorMessage: 'no host fits',
    })),
  } as unknown as TasksService;
  const lifecycle = {
    power: jest.fn(async (id: string) => {
      started.push(id);
      return { id: `new-task-${id}` };
    }),
  };
  const events = { record: jest.fn(async () => undefined) };
  const ha = new HaRestartService(
    hosts as never,
    vms as never,
    vmRepo as never,
    lifecycle as never,
    tasks,
    events as never,
  );
  const adoption = new HaRestartAdoption(tasks, hosts as never, vms as never, vmRepo as never, ha);
  const ctx = fakeCtx('host.confirm-rebooted');
  const run = async (data: Record<string, unknown>) =>
    (await adoption.adopt(
      ctx,
      cp('restarting', { hostId: H1.id, reason: 'host lab-h1 was confirmed rebooted by admin', ...data }),
    )) as unknown as ReleasedVms;
  return { run, started, vms, ctx };
}

describe('HaRestartAdoption', () => {
  it('registers for host.confirm-rebooted and host.fenced (the same release)', () => {
    const tasks = fakeTasks();
    new HaRestartAdoption(tasks, {} as never, {} as never, {} as never, {} as never).onModuleInit();
    expect([...tasks.registered.keys()]).toEqual(['host.confirm-rebooted', 'host.fenced']);
  });

  it('finishes the release: waits for the starts already launched, starts only the VMs left', async () => {
    const s = setup({
      vms: [
        vm('a', { haPriority: 90 }), // its start is in the checkpoint
        vm('b', { haPriority: 70 }), // launched, the engine died before recording it: the active task tells
        vm('c', { hostId: 'h1', status: VmStatus.Unknown }), // not even marked down yet
        vm('d', { hostId: 'h1', status: VmStatus.Up, highlyAvailable: false }),
        vm('f', { haPriority: 10 }), // its start in the checkpoint failed: not tried again
      ],
      active: { 'id-b': [{ id: 'task-b', type: 'vm.start' }] },
    });
    const out = await s.run({
      vmIds: ['id-a', 'id-b', 'id-c', 'id-d', 'id-f'],
      haIds: ['id-a', 'id-b', 'id-c', 'id-f'],
      starts: { 'id-a': 'task-a', 'id-f': 'task-failed' },
    });
    expect(s.started).toEqual(['id-c']);
    expect(s.vms.setStatus.mock.calls.map((c: unknown[]) => [c[0], c[1], c[2]])).toEqual([
      ['id-c', VmStatus.Down, { hostId: null, reason: 'host lab-h1 was confirmed rebooted by admin' }],
      ['id-d', VmStatus.Down, { hostId: null, reason: 'host lab-h1 was confirmed rebooted by admin' }],
    ]);
    expect(out.restarted).toEqual([
      { vmId: 'id-a', name: 'a', taskId: 'task-a', hostId: 'h2' },
      { vmId: 'id-b', name: 'b', taskId: 'task-b', hostId: 'h2' },
      { vmId: 'id-c', name: 'c', taskId: 'new-task-id-c', hostId: 'h2' },
    ]);
    expect(out.notRestarted).toEqual([{ vmId: 'id-f', name: 'f', reason: 'no host fits' }]);
    expect(s.ctx.checkpoint).toHaveBeenCalledWith('restarting', {
      starts: { 'id-a': 'task-a', 'id-f': 'task-failed', 'id-c': 'new-task-id-c' },
    });
  });

  it('never starts a VM that runs, or that another task is busy with', async () => {
    const s = setup({
      vms: [vm('up', { hostId: 'h2', status: VmStatus.Up }), vm('busy')],
      active: { 'id-busy': [{ id: 'task-x', type: 'vm.delete' }] },
    });
    const out = await s.run({ vmIds: ['id-up', 'id-busy'], haIds: ['id-up', 'id-busy'], starts: {} });
    expect(s.started).toEqual([]);
    expect(out.notRestarted.map((n) => n.reason)).toEqual([
      expect.stringMatching(/^already .* without an HA start: not started again$/),
      'task vm.delete (task-x) is running on it: not started; start it once that task ended',
    ]);
  });

  it('the host answered again meanwhile: its VMs are left to its reports, not marked down nor started', async () => {
    const s = setup({ vms: [vm('c', { hostId: 'h1', status: VmStatus.Up })], hostStatus: HostStatus.Up });
    const out = await s.run({ vmIds: ['id-c'], haIds: ['id-c'], starts: {} });
    expect(s.vms.setStatus).not.toHaveBeenCalled();
    expect(s.started).toEqual([]);
    expect(out.notRestarted[0]!.reason).toMatch(/on lab-h1, which answered again: not started elsewhere/);
  });

  it('the host is gone → interrupted, saying what to check', async () => {
    const s = setup({ vms: [], hostGone: true });
    await expect(s.run({ vmIds: [], haIds: [] })).rejects.toThrow(TaskUnknowable);
  });
});
