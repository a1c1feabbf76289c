import { cp, failedStep, fakeCtx, fakeProbe, fakeTasks, HOST, VM_ID } from '../vm-guard/adoption.fakes';
import type { VmGuard } from '../vm-guard/vm-guard.service';
import { NicUpdateAdoption } from './nic-update-adoption';
import type { NicChange, VmNicUpdateService } from './vm-nic-update.service';

const spec = {
  id: '00000000-0000-4000-8000-0000000000c1',
  mac: '52:54:00:00:00:c1',
  bridge: 'vmblue',
  model: 'virtio' as const,
  linkUp: true,
};
const change: NicChange = {
  nicId: spec.id,
  mac: spec.mac,
  want: { profileId: 'p2', networkId: 'n1', linkUp: true },
  live: true,
  step: {
    command: 'vm.update-nic',
    name: 'update',
    payload: { uuid: VM_ID, nic: spec, live: true },
    defines: spec,
  },
};

function setup(outcome?: Parameters<typeof fakeProbe>[0]['outcome']) {
  const probe = fakeProbe({ outcome });
  const sendStep = jest.fn(async () => ({ xml: '<interface/>', replugged: false }));
  const record = jest.fn(async (c: NicChange, res: object | null) => ({ nicId: c.nicId, res }));
  const tasks = fakeTasks();
  const adoption = new NicUpdateAdoption(
    tasks,
    probe,
    { sendStep } as unknown as VmGuard,
    { record } as unknown as VmNicUpdateService,
  );
  return { adoption, probe, sendStep, record, tasks };
}

describe('NicUpdateAdoption', () => {
  it('registers for vm.update-nic', () => {
    const { adoption, tasks } = setup();
    adoption.onModuleInit();
    expect(tasks.registered.has('vm.update-nic')).toBe(true);
  });

  it('records a change whose step the host completed, without sending it again', async () => {
    const { adoption, sendStep, record } = setup({
      state: 'completed',
      result: { xml: 'x', replugged: true },
    });
    await adoption.adopt(fakeCtx('vm.update-nic'), cp('update-sent', { jobId: 'task-1-update', change }));
    expect(sendStep).not.toHaveBeenCalled();
    expect(record).toHaveBeenCalledWith(change, { xml: 'x', replugged: true }, expect.anything());
  });

  it('sends a step never sent, or whose outcome is lost, then records (the command is idempotent)', async () => {
    const { adoption, sendStep, record } = setup({ state: 'unsure' } as never);
    await adoption.adopt(fakeCtx('vm.update-nic'), cp('hotplug', { change }));
    expect(sendStep).toHaveBeenCalledWith(
      HOST,
      'vm.update-nic',
      change.step!.payload,
      expect.anything(),
      'update-adopted',
    );
    expect(record).toHaveBeenCalledTimes(1);
  });

  it('fails the task as the host refused the step; the records stay', async () => {
    const { adoption, sendStep, record } = setup(failedStep('unable to change config on bridge'));
    await expect(
      adoption.adopt(fakeCtx('vm.update-nic'), cp('update-sent', { jobId: 'task-1-update', change })),
    ).rejects.toThrow(/vm.update-nic failed on h1: unable to change config/);
    expect(sendStep).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
  });

  it('only records a change that needed no host; interrupts one decided by nothing it can read', async () => {
    const { adoption, probe, record } = setup();
    await adoption.adopt(fakeCtx('vm.update-nic'), cp('running', { change: { ...change, step: null } }));
    expect(probe.target).not.toHaveBeenCalled();
    expect(record).toHaveBeenCalledWith({ ...change, step: null }, null, expect.anything());
    await expect(adoption.adopt(fakeCtx('vm.update-nic'), cp('hotplug'))).rejects.toThrow(
      /send the change again/,
    );
  });
});
