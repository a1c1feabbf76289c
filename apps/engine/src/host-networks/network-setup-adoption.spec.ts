import { AgentCommandError } from '../agents/agent-command.error';
import type { CommandBus } from '../agents/command-bus.service';
import type { HostNetworkStateService } from '../host-network-state/host-network-state.service';
import type { HostsService } from '../hosts/hosts.service';
import { TaskUnknowable } from '../tasks/task-adoption';
import { cp, fakeCtx, fakeTasks, HOST } from '../vm-guard/adoption.fakes';
import { NetworkSetupAdoption } from './network-setup-adoption';

const CHECKPOINT = '00000000-0000-4000-8000-0000000000c1';
const outcome = (o: 'applied' | 'rolled_back' | 'failed', reason?: string) => ({
  checkpoint: CHECKPOINT,
  outcome: o,
  ...(reason ? { reason } : {}),
  at: '2026-12-06T16:00:00.000Z',
});

/** The host: its reports in order (`lastSetup` of each look), its answer to a confirmation, the setup
 * job as BullMQ holds it (`running`: still waiting for a confirmation). */
function setup(o: {
  reports?: (ReturnType<typeof outcome> | null)[];
  confirm?: boolean | 'silent';
  job?: 'running' | 'missing' | { completed: ReturnType<typeof outcome> } | { failed: string };
}) {
  const reports = [...(o.reports ?? [])];
  const state = {
    lastSetup: jest.fn(async () => (reports.length > 1 ? reports.shift() : reports[0]) ?? null),
  } as unknown as HostNetworkStateService;
  const bus = {
    attach: jest.fn(async () => {
      const job = o.job ?? 'running';
      if (job === 'running') return new Promise(() => undefined);
      if (job === 'missing') return { state: 'missing' };
      if ('completed' in job) return { state: 'completed', result: job.completed };
      return {
        state: 'failed',
        error: new AgentCommandError({ code: 'invalid_payload', message: job.failed }),
      };
    }),
    send: jest.fn(async (_h: string, name: string) => {
      if (name !== 'host.network.confirm') throw new Error(`unexpected ${name}`);
      if (o.confirm === 'silent') throw new AgentCommandError({ code: 'timeout', message: 'no answer' });
      return { confirmed: o.confirm ?? false };
    }),
  } as unknown as CommandBus & { send: jest.Mock; attach: jest.Mock };
  const hosts = { get: jest.fn(async () => HOST) } as unknown as HostsService;
  const adoption = new NetworkSetupAdoption(fakeTasks(), hosts, state, bus);
  adoption.pollMs = 0;
  const ctx = fakeCtx('host.network_setup');
  const run = (timeoutMs = 60_000) =>
    adoption.adopt(ctx, cp('applying', { checkpoint: CHECKPOINT, timeoutMs, networks: ['mgmt', 'vlan10'] }));
  const sent = () => bus.send.mock.calls.map(([, name]: [string, string]) => name);
  return { adoption, run, bus, ctx, sent };
}

describe('NetworkSetupAdoption', () => {
  it('registers for host.network_setup', () => {
    const tasks = fakeTasks();
    new NetworkSetupAdoption(tasks, {} as never, {} as never, {} as never).onModuleInit();
    expect(tasks.registered.has('host.network_setup')).toBe(true);
  });

  it('confirms a setup awaiting confirmation (the host reached this engine), then succeeds on its report', async () => {
    const { run, sent, ctx } = setup({ reports: [null, outcome('applied')], confirm: true });
    await expect(run()).resolves.toEqual({
      hostId: HOST.id,
      checkpoint: CHECKPOINT,
      outcome: 'applied',
      networks: ['mgmt', 'vlan10'],
    });
    expect(sent()).toEqual(['host.network.confirm']);
    expect(ctx.progress).toHaveBeenCalledWith(80, 'h1 reached after the change: keeping it');
  });

  it('a setup the host already rolled back → failed with its reason; never applied again', async () => {
    const { run, sent } = setup({ reports: [outcome('rolled_back', 'engine unreachable for 60 s')] });
    await expect(run()).rejects.toThrow('network setup of h1 was rolled back: engine unreachable for 60 s');
    expect(sent()).not.toContain('host.network.setup');
  });

  it('the setup job finished while the engine was down: its stored result decides', async () => {
    const { run, sent } = setup({ job: { completed: outcome('applied') }, confirm: 'silent' });
    await expect(run()).resolves.toMatchObject({ outcome: 'applied' });
    expect(sent()).not.toContain('host.network.setup');
  });

  it('a setup the agent refused → failed with the agent reason', async () => {
    const { run } = setup({ job: { failed: 'host h1 has no NIC eth9' } });
    await expect(run()).rejects.toThrow('network setup of h1 failed: host h1 has no NIC eth9');
  });

  it('keeps confirming while the host does not answer, and takes the rollback it reports afterwards', async () => {
    const { run, bus } = setup({
      reports: [null, null, outcome('rolled_back', 'no confirmation')],
      confirm: 'silent',
    });
    await expect(run()).rejects.toThrow(/was rolled back: no confirmation/);
    expect(bus.send.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('the host reports nothing about this setup until the deadline → interrupted, saying what to check', async () => {
    const { adoption, run } = setup({
      reports: [outcome('applied')].map((o) => ({ ...o, checkpoint: 'older' })),
      job: 'missing',
    });
    adoption.graceMs = 0;
    const err = await run(0).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TaskUnknowable);
    expect((err as Error).message).toMatch(/has not reported what became of it.*check the host's networks/);
  });
});
