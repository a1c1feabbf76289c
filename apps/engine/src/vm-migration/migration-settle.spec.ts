import { MigrationStatus, TaskStep, VmStatus } from '@kelpie/shared-types';
import { Subject } from 'rxjs';
import { AgentCommandError } from '../agents/agent-command.error';
import type { TaskContext } from '../tasks/tasks.service';
import { MigrationSettlement } from './migration-settlement';
import type { MigrationParties } from './migration-task';

const source = { id: 'h1', name: 'h1' };
const target = { id: 'h2', name: 'h2' };
const vm = { id: 'vm-1', name: 'vm' };
const parties = { vm, source, target } as unknown as MigrationParties;
const cut = new AgentCommandError({
  code: 'internal',
  message: 'End of file while reading data: Input/output error',
});

/** The service over fakes: libvirt on each host shows `where` (absent when missing). */
function harness(where: Record<string, string | undefined>) {
  const patches: unknown[] = [];
  const rowUpdates: unknown[] = [];
  let vmHost = source.id;
  const bus = {
    send: jest.fn(async (hostId: string, name: string) => {
      if (name !== 'vm.migration-info') return {};
      const state = where[hostId];
      if (!state) throw new AgentCommandError({ code: 'domain_not_found', message: 'no domain' });
      return { state };
    }),
    post: jest.fn(async () => ({})),
  };
  const row = { id: 't1', createdAt: new Date(Date.now() - 5000), progressSamples: 3 };
  const service = new MigrationSettlement(
    {
      findOneBy: async () => row,
      update: async (_w: unknown, set: unknown) => void rowUpdates.push(set),
    } as never,
    { byId: async () => ({ ...vm, hostId: vmHost }) } as never,
    // Both ownership facts recorded: the move is confirmed.
    {
      activeOf: async () => undefined,
      recordFact: async () => ({ target_running_at: new Date(), source_gone_at: new Date() }),
    } as never,
    { cancel: jest.fn() } as never,
    bus as never,
    {
      patchVm: async (_id: string, patch: { hostId?: string }) => {
        patches.push(patch);
        if (patch.hostId) vmHost = patch.hostId;
      },
    } as never,
    { record: async () => undefined } as never,
    { messages: new Subject() } as never,
  );
  const ctx = {
    task: { id: 't1', correlationId: null },
    progress: async () => undefined,
  } as unknown as TaskContext;
  const steps: TaskStep[] = [0, 1, 2, 3].map((i) => ({ name: `s${i}`, status: 'pending' }));
  const settle = () =>
    service.settleByHosts(
      ctx,
      parties,
      steps,
      { state: 'failed', error: cut },
      { targetReason: 'chosen', policy: {} as never },
      async () => {
        throw new Error('unknown');
      },
    );
  return { settle, patches, rowUpdates, bus };
}

describe('a migrate command that failed is settled by asking both hosts', () => {
  it('succeeds when libvirt finished the move (target runs it, source let go), the VM record on the target', async () => {
    const h = harness({ h2: 'running' });
    const result = await h.settle();
    expect(result).toMatchObject({ vmId: vm.id, sourceHostId: 'h1', targetHostId: 'h2' });
    expect(h.patches).toContainEqual(expect.objectContaining({ status: VmStatus.Up, hostId: 'h2' }));
    expect(h.rowUpdates).toContainEqual(expect.objectContaining({ status: MigrationStatus.Succeeded }));
  });

  it('fails "stays on the source" when the source still runs it and the target has nothing, the VM record up on the source', async () => {
    const h = harness({ h1: 'running' });
    await expect(h.settle()).rejects.toThrow(/failed: End of file .*; the VM stays on h1/);
    expect(h.patches).toEqual([expect.objectContaining({ status: VmStatus.Up, hostId: 'h1' })]);
    expect(h.rowUpdates).toContainEqual(expect.objectContaining({ status: MigrationStatus.Failed }));
  });
});
