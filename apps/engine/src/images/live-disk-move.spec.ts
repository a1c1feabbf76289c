import { AgentCommandError } from '../agents/agent-command.error';
import { fromAgentError } from '../agents/agent-error.mapping';
import { TaskUnknowable } from '../tasks/task-adoption';
import {
  cp,
  fakeCtx,
  fakeProbe,
  fakeTasks,
  failedStep,
  HOST,
  HostAnswers,
  VM_ID,
} from '../vm-guard/adoption.fakes';
import { DISK_MOVE_TASK, LiveDiskMoves, LiveMovePlan } from './live-disk-move';

const OLD = '/srv/a/d1.img';
const NEW = '/srv/b/d1.img';
const plan: LiveMovePlan = {
  diskId: 'd1',
  vmId: VM_ID,
  from: 'sd-a',
  to: 'sd-b',
  fromPool: 'kelpie-a',
  oldPath: OLD,
  payload: {
    uuid: VM_ID,
    targetDev: 'vda',
    format: 'raw',
    capacityBytes: 1024,
    toPool: 'kelpie-b',
    toVolume: 'd1.img',
  },
};
const onDisk = (path: string) => ({
  disks: [
    { target: 'vda', device: 'disk', type: 'file', path, cache: null, readonly: false, shareable: false },
  ],
});

function setup(h: HostAnswers, sendStep: jest.Mock = jest.fn(async () => ({ path: NEW }))) {
  const tasks = Object.assign(fakeTasks(), { cancel: jest.fn(async () => undefined) });
  const guard = { sendStep, send: jest.fn(async () => ({ ok: true })) };
  const disks = { setLocation: jest.fn(async () => undefined) };
  const hosts = { get: jest.fn(async () => HOST) };
  const vms = { byId: jest.fn(async () => ({ id: VM_ID, name: 'vm1' })) };
  const moves = new LiveDiskMoves(
    tasks,
    guard as never,
    fakeProbe(h),
    disks as never,
    hosts as never,
    vms as never,
  );
  moves.onModuleInit();
  return { moves, tasks, guard, disks, ctx: fakeCtx(DISK_MOVE_TASK) };
}

/** The record switched to `path` on the target domain and the old volume deleted. */
function expectFinished(s: ReturnType<typeof setup>, path: string) {
  expect(s.disks.setLocation).toHaveBeenCalledWith('d1', 'sd-b', path, expect.anything());
  expect(s.guard.send).toHaveBeenCalledWith(
    HOST,
    'image.delete',
    { pool: 'kelpie-a', volume: 'd1.img' },
    s.ctx,
  );
}

describe('LiveDiskMoves: a live move settled from the host', () => {
  it('registers the disk.move adopter', () => {
    expect(setup({}).tasks.registered.has(DISK_MOVE_TASK)).toBe(true);
  });

  it('adopted: the re-attached copy completed → the record follows its path, the old volume goes', async () => {
    const s = setup({ outcome: { state: 'completed', result: { path: NEW } } });
    const res = await s.moves.adopt(s.ctx, cp('live-move-sent', { plan, jobId: 'task-1-live-move' }));
    expect(res).toMatchObject({ diskId: 'd1', to: 'sd-b', volumePath: NEW, live: true });
    expectFinished(s, NEW);
    expect(s.guard.sendStep).not.toHaveBeenCalled();
  });

  it('adopted, the outcome lost but the domain already on the new volume (a late pivot): finished', async () => {
    const s = setup({ devices: onDisk(NEW) });
    await s.moves.adopt(s.ctx, cp('live-move-sent', { plan, jobId: 'task-1-live-move' }));
    expectFinished(s, NEW);
    expect(s.guard.sendStep).not.toHaveBeenCalled();
  });

  it('adopted, the outcome lost and the domain still on its source: the copy is sent again', async () => {
    const s = setup({ devices: onDisk(OLD) });
    await s.moves.adopt(s.ctx, cp('live-move', { plan, jobId: 'task-1-live-move' }));
    expect(s.guard.sendStep).toHaveBeenCalledWith(
      HOST,
      'disk.live-move',
      plan.payload,
      s.ctx,
      'live-move-again',
      { plan },
    );
    expectFinished(s, NEW);
  });

  it('adopted after the pivot was recorded in the checkpoint: only the bookkeeping is done again', async () => {
    const s = setup({});
    await s.moves.adopt(s.ctx, cp('switching', { plan, jobId: 'task-1-live-move', path: NEW }));
    expectFinished(s, NEW);
  });

  it('adopted, the copy cancelled on the host: the task ends cancelled, nothing switched', async () => {
    const s = setup({ outcome: failedStep('disk move cancelled: requested by the engine') });
    await expect(s.moves.adopt(s.ctx, cp('live-move-sent', { plan, jobId: 'j' }))).rejects.toThrow(
      /disk move cancelled/,
    );
    expect(s.tasks.cancel).toHaveBeenCalled();
    expect(s.disks.setLocation).not.toHaveBeenCalled();
  });

  it('adopted, the VM gone from its host: unknowable, nothing switched', async () => {
    const s = setup({ devices: null });
    await expect(s.moves.adopt(s.ctx, cp('live-move-sent', { plan, jobId: 'j' }))).rejects.toBeInstanceOf(
      TaskUnknowable,
    );
    expect(s.disks.setLocation).not.toHaveBeenCalled();
  });

  it('run: the copy’s result lost with its agent (command_lost) → settled from the re-attached job', async () => {
    const lost = fromAgentError(new AgentCommandError({ code: 'command_lost', message: 'agent stopped' }));
    const s = setup(
      { outcome: { state: 'completed', result: { path: NEW } } },
      jest.fn().mockRejectedValue(lost),
    );
    await s.moves.run(s.ctx, HOST as never, plan, { actor: 'tester', correlationId: 'c' });
    expectFinished(s, NEW);
  });

  it('run: a copy the host refused fails the task, nothing switched', async () => {
    const refused = fromAgentError(new AgentCommandError({ code: 'libvirt_error', message: 'no space' }));
    const s = setup({}, jest.fn().mockRejectedValue(refused));
    await expect(
      s.moves.run(s.ctx, HOST as never, plan, { actor: 'tester', correlationId: 'c' }),
    ).rejects.toThrow(/no space/);
    expect(s.disks.setLocation).not.toHaveBeenCalled();
  });
});
