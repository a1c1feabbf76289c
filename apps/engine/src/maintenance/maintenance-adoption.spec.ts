import { HostStatus } from '@kelpie/shared-types';
import { AgentCommandError } from '../agents/agent-command.error';
import type { CommandBus } from '../agents/command-bus.service';
import type { HostsService } from '../hosts/hosts.service';
import { TaskUnknowable } from '../tasks/task-adoption';
import type { VmMigrationService } from '../vm-migration/vm-migration.service';
import { cp, fakeCtx, fakeTasks } from '../vm-guard/adoption.fakes';
import { MaintenanceAdoption } from './maintenance-adoption';
import type { EvacuationPlan, MaintenanceService } from './maintenance.service';

const H1 = { id: 'h1', name: 'lab-h1' };
const H2 = { id: 'h2', name: 'lab-h2' };
const moved = { vmId: 'vm-a', vmName: 'a', taskId: 'mig-a', targetHostId: H2.id };

/** The hosts: h1 under maintenance (status given), libvirt's state of each VM on h1. */
function setup(o: {
  status?: HostStatus;
  migration?: { status: string; errorMessage?: string };
  placed?: { id: string; name: string }[];
  onHost?: Record<string, string>;
  choiceFails?: boolean;
}) {
  const hosts = {
    get: jest.fn(async (id: string) =>
      id === H1.id ? { ...H1, status: o.status ?? HostStatus.PreparingForMaintenance } : H2,
    ),
  } as unknown as HostsService;
  const migrations = {
    waitForTask: jest.fn(async () => ({ errorMessage: null, ...(o.migration ?? { status: 'succeeded' }) })),
    vmsOn: jest.fn(async () => o.placed ?? []),
  } as unknown as VmMigrationService;
  const resume = jest.fn(async (_ctx: unknown, _host: unknown, plan: EvacuationPlan) => ({ ...plan.result }));
  const awaitChoice = jest.fn(async () => {
    if (o.choiceFails) throw new Error('shutdown of pinned failed: guest did not stop');
  });
  const bus = {
    send: jest.fn(async (_host: string, _name: string, p: { uuid: string }) => {
      const state = o.onHost?.[p.uuid];
      if (state === 'silent') throw new Error('agent not connected');
      if (!state) throw new AgentCommandError({ code: 'domain_not_found', message: 'no domain' });
      return { state };
    }),
  } as unknown as CommandBus;
  const adoption = new MaintenanceAdoption(
    fakeTasks(),
    hosts,
    migrations,
    { resume, awaitChoice } as unknown as MaintenanceService,
    bus,
  );
  const run = () =>
    adoption.adopt(fakeCtx('host.maintenance'), cp('migrating', { hostId: H1.id, moves: [moved] }));
  const runChoice = () =>
    adoption.adopt(
      fakeCtx('host.maintenance'),
      cp('choice', {
        hostId: H1.id,
        choice: { vmId: 'vm-p', vmName: 'pinned', choice: 'shutdown', taskId: 't-p' },
      }),
    );
  return { run, runChoice, resume, bus, awaitChoice };
}

describe('MaintenanceAdoption', () => {
  it('registers for host.maintenance', () => {
    const tasks = fakeTasks();
    new MaintenanceAdoption(tasks, {} as never, {} as never, {} as never, {} as never).onModuleInit();
    expect(tasks.registered.has('host.maintenance')).toBe(true);
  });

  it('waits for the migrations it launched, then moves away only what libvirt still runs on the host', async () => {
    const { run, resume } = setup({
      placed: [
        { id: 'vm-b', name: 'b' },
        { id: 'vm-c', name: 'c' },
        { id: 'vm-d', name: 'd' },
      ],
      onHost: { 'vm-b': 'running', 'vm-c': 'shutoff' },
    });
    await run();
    const plan = resume.mock.calls[0]![2];
    expect(plan.queue.map((v) => v.id)).toEqual(['vm-b']);
    expect(plan.result.migrated).toEqual([
      { vmId: 'vm-a', vmName: 'a', targetHostId: H2.id, taskId: 'mig-a' },
    ]);
    expect(plan.steps.list().map((s) => [s.objectId, s.status, s.message])).toEqual([
      ['vm-a', 'done', 'migrated to lab-h2'],
      ['vm-b', 'pending', 'waiting'],
    ]);
  });

  it('a launched migration that failed is reported with its reason, not tried again', async () => {
    const { run, resume } = setup({
      migration: { status: 'failed', errorMessage: 'target refused' },
      placed: [{ id: 'vm-a', name: 'a' }],
      onHost: { 'vm-a': 'running' },
    });
    await run();
    const plan = resume.mock.calls[0]![2];
    expect(plan.queue).toEqual([]);
    expect(plan.result.failed).toEqual([
      { vmId: 'vm-a', vmName: 'a', reason: 'target refused', taskId: 'mig-a' },
    ]);
  });

  it('a host that cannot say what it runs: interrupted, nothing migrated', async () => {
    const { run, resume } = setup({ placed: [{ id: 'vm-b', name: 'b' }], onHost: { 'vm-b': 'silent' } });
    await expect(run()).rejects.toBeInstanceOf(TaskUnknowable);
    expect(resume).not.toHaveBeenCalled();
  });

  it('a host already in maintenance: succeeded as it is', async () => {
    const { run, resume, bus } = setup({ status: HostStatus.Maintenance });
    expect(await run()).toMatchObject({ hostId: H1.id, migrated: [{ vmId: 'vm-a' }] });
    expect(resume).not.toHaveBeenCalled();
    expect(bus.send).not.toHaveBeenCalled();
  });

  it('a host activated meanwhile: failed, the evacuation stops', async () => {
    const { run, resume } = setup({ status: HostStatus.Up });
    await expect(run()).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/lab-h1 became/),
    });
    expect(resume).not.toHaveBeenCalled();
  });

  it("a task started by an admin's choice waits for the chosen VM task first, then evacuates what still runs", async () => {
    const { runChoice, resume, awaitChoice } = setup({
      placed: [{ id: 'vm-b', name: 'b' }],
      onHost: { 'vm-b': 'running' },
    });
    await runChoice();
    expect(awaitChoice).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ id: H1.id }),
      { vmId: 'vm-p', vmName: 'pinned', choice: 'shutdown', taskId: 't-p' },
      expect.anything(),
    );
    expect(resume.mock.calls[0]![2].queue.map((v) => v.id)).toEqual(['vm-b']);
  });

  it('a chosen VM task that failed fails the maintenance task: nothing is migrated', async () => {
    const { runChoice, resume } = setup({ choiceFails: true, placed: [] });
    await expect(runChoice()).rejects.toThrow(/shutdown of pinned failed/);
    expect(resume).not.toHaveBeenCalled();
  });
});
