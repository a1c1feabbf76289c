import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { HostEntity } from '../hosts/host.entity';
import { TaskContext } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { HaRestartService } from './ha-restart.service';

const HOST = { id: 'h1', name: 'h1', clusterId: 'c1', status: HostStatus.NonResponsive } as HostEntity;
const vm = (name: string, over: Partial<VmEntity> = {}) =>
  ({
    id: `id-${name}`,
    name,
    clusterId: 'c1',
    hostId: 'h1',
    status: VmStatus.Unknown,
    highlyAvailable: true,
    haPriority: 50,
    external: false,
    ...over,
  }) as VmEntity;

function setup(onHost: VmEntity[], failing: string[] = []) {
  const started: string[] = [];
  const setStatus = jest.fn(async () => undefined);
  const svc = new HaRestartService(
    { get: jest.fn(async () => HOST) } as never,
    { setStatus, get: jest.fn(async (id: string) => ({ id, hostId: 'h2' })) } as never,
    { onHost: jest.fn(async () => onHost) } as never,
    {
      power: jest.fn(async (id: string) => {
        started.push(id);
        return { id: `task-${id}` };
      }),
    } as never,
    {
      wait: jest.fn(async (id: string) =>
        failing.some((f) => id === `task-id-${f}`)
          ? { id, status: 'failed', errorMessage: 'no host fits' }
          : { id, status: 'succeeded' },
      ),
    } as never,
    { record: jest.fn(async () => undefined) } as never,
  );
  const ctx = {
    progress: jest.fn(async () => undefined),
    checkpoint: jest.fn(async () => undefined),
  } as unknown as TaskContext;
  const meta = { actor: 'admin', correlationId: 'corr' };
  return { svc, ctx, meta, started, setStatus };
}

describe('HA restart after a host is known off', () => {
  it('marks the running VMs down and off the host, then restarts HA ones by priority, highest first', async () => {
    const s = setup([
      vm('low', { haPriority: 10 }),
      vm('high', { haPriority: 90 }),
      vm('plain', { highlyAvailable: false }),
      vm('mid-b'),
      vm('mid-a'),
      vm('stopped', { status: VmStatus.Down }),
    ]);
    const out = await s.svc.releaseVms(s.ctx, HOST, 'host h1 was confirmed rebooted by admin', s.meta);
    expect(s.started).toEqual(['id-high', 'id-mid-a', 'id-mid-b', 'id-low']);
    // What an adopting engine needs, recorded before any VM changed; then each start as launched.
    expect(s.ctx.checkpoint).toHaveBeenNthCalledWith(1, 'releasing', {
      hostId: 'h1',
      reason: 'host h1 was confirmed rebooted by admin',
      vmIds: ['id-low', 'id-high', 'id-plain', 'id-mid-b', 'id-mid-a'],
      haIds: ['id-high', 'id-mid-a', 'id-mid-b', 'id-low'],
      starts: {},
    });
    expect(s.ctx.checkpoint).toHaveBeenLastCalledWith('restarting', {
      starts: {
        'id-high': 'task-id-high',
        'id-mid-a': 'task-id-mid-a',
        'id-mid-b': 'task-id-mid-b',
        'id-low': 'task-id-low',
      },
    });
    expect(out.down).toEqual(['low', 'high', 'plain', 'mid-b', 'mid-a']);
    expect(s.setStatus).toHaveBeenCalledWith(
      'id-plain',
      VmStatus.Down,
      { hostId: null, reason: 'host h1 was confirmed rebooted by admin' },
      s.meta,
    );
    // A VM that was already down stays as it was (defined on that host, not running).
    expect(s.setStatus).not.toHaveBeenCalledWith('id-stopped', expect.anything(), expect.anything(), s.meta);
  });

  it('keeps an external VM on its host and never restarts it; reports a restart the scheduler refused', async () => {
    const s = setup([vm('ext', { external: true }), vm('big'), vm('ok')], ['big']);
    const out = await s.svc.releaseVms(s.ctx, HOST, 'fenced', s.meta);
    expect(s.started).toEqual(['id-big', 'id-ok']);
    expect(s.setStatus).toHaveBeenCalledWith(
      'id-ext',
      VmStatus.Down,
      { hostId: 'h1', reason: 'fenced' },
      s.meta,
    );
    expect(out.notRestarted).toEqual([{ vmId: 'id-big', name: 'big', reason: 'no host fits' }]);
    expect(out.restarted).toEqual([{ vmId: 'id-ok', name: 'ok', taskId: 'task-id-ok', hostId: 'h2' }]);
  });
});

describe('settling an HA start', () => {
  it('records its event under a key naming the start task: settled again by an adopting engine, one record', async () => {
    const s = setup([]);
    const record = (s.svc as unknown as { events: { record: jest.Mock } }).events.record;
    const v = vm('ha');
    await s.svc.settleStart(v, 'task-7', s.meta);
    await s.svc.settleStart(v, 'task-7', s.meta);
    expect(record).toHaveBeenCalledTimes(2);
    expect(record.mock.calls.map((c) => (c as [{ once: string }])[0].once)).toEqual([
      'vm.ha_restarted:task-7',
      'vm.ha_restarted:task-7',
    ]);
  });
});
