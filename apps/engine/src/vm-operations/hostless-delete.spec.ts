import { HostStatus, Task, VmStatus } from '@kelpie/shared-types';
import { Subject } from 'rxjs';
import { AgentCommandError } from '../agents/agent-command.error';
import type { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import type { HostEntity } from '../hosts/host.entity';
import { fakeCtx, VM_ID } from '../vm-guard/adoption.fakes';
import { VmGuard } from '../vm-guard/vm-guard.service';
import type { VmEntity } from '../vms/vm.entity';
import { HostlessVmSearch } from './hostless-search';
import { DELETE_PHASE, VmDeleteService } from './vm-delete.service';
import { VmStatusWaiter } from './vm-status-waiter';

/** Unit: deleting a VM whose record has no host, with the hosts' answers given (nothing is sent). */

const host = (name: string, status: HostStatus = HostStatus.Up) =>
  ({ id: `id-${name}`, name, status, clusterId: 'c1', lastHeartbeatAt: new Date() }) as HostEntity;

/** What each host's agent answers to `vm.migration-info` (the probe). */
type Answer = 'running' | 'shutoff' | 'absent' | 'silent';

function setup(answers: Record<string, Answer>, statuses: Record<string, HostStatus> = {}) {
  const hosts = Object.keys(answers).map((n) => host(n, statuses[n]));
  const vm = {
    id: VM_ID,
    name: 'vm1',
    clusterId: 'c1',
    hostId: null,
    status: VmStatus.Down,
    external: false,
    isTemplate: false,
  } as unknown as VmEntity;
  const probed: string[] = [];
  const bus = {
    send: jest.fn(async (hostId: string) => {
      const name = hostId.slice(3);
      probed.push(name);
      const a = answers[name];
      if (a === 'absent') throw new AgentCommandError({ code: 'domain_not_found', message: 'no domain' });
      if (a === 'silent') throw new AgentCommandError({ code: 'timeout', message: 'no answer in 30 s' });
      return { uuid: VM_ID, state: a };
    }),
  };
  const hostRepo = { everConnectedIn: jest.fn(async () => hosts) };
  const search = new HostlessVmSearch(hostRepo as never, bus as unknown as CommandBus);
  /** Commands the delete sent to hosts: `<command> on <host>`. */
  const sent: string[] = [];
  const checks = {
    guard: VmGuard.prototype.guard,
    recheck: () => async () => undefined,
    vms: { madeFrom: async () => [[], 0] },
    send: jest.fn(async (h: HostEntity, name: string) => void sent.push(`${name} on ${h.name}`)),
    sendStep: jest.fn(async (h: HostEntity, name: string) => void sent.push(`${name} on ${h.name}`)),
  };
  const vms = { get: jest.fn(async () => vm), remove: jest.fn(async () => undefined) };
  const diskRepo = {
    ofVmByName: async () => [],
    ofVm: async () => [],
  };
  const ctx = fakeCtx('vm.delete');
  let outcome: Promise<unknown> | undefined;
  const tasks = {
    assertFree: jest.fn(async () => undefined),
    launch: jest.fn(async (_spec: unknown, work: (c: typeof ctx) => Promise<unknown>) => {
      outcome = work(ctx);
      return { id: 'task-1' } as Task;
    }),
  };
  const stream = { messages: new Subject() };
  const service = new VmDeleteService(
    vms as never,
    diskRepo as never,
    {} as never,
    tasks as never,
    checks as never,
    search,
    new VmStatusWaiter(vms as never, stream as never),
    {} as never,
    stream as never,
  );
  const meta = { actor: 'tester', correlationId: 'corr-1' };
  /** DELETE /vms/{id}: the task's outcome (its result, or the error that fails it). */
  const remove = async (force = false) => {
    const task = await service.remove(VM_ID, { force }, meta);
    expect(task).not.toBeNull();
    return outcome!.then(
      (result) => ({ result: result as Record<string, unknown>, error: undefined }),
      (error: unknown) => ({ result: undefined, error: error as DomainError }),
    );
  };
  return { remove, sent, probed, vms, ctx, hostRepo, tasks, service, meta };
}

describe('deleting a VM without a host', () => {
  it('found running on a host: destroyed and undefined there (force), then its records go', async () => {
    const t = setup({ h1: 'running', h2: 'absent' });
    const { result, error } = await t.remove(true);
    expect(error).toBeUndefined();
    expect(t.probed.sort()).toEqual(['h1', 'h2']);
    expect(t.sent).toEqual(['vm.destroy on h1', 'vm.undefine on h1']);
    expect(t.ctx.checkpoint).toHaveBeenCalledWith(DELETE_PHASE, { hostId: 'id-h1', withDisks: false });
    expect(t.vms.remove).toHaveBeenCalledWith(VM_ID, t.meta);
    expect(result).toMatchObject({
      foundOn: [{ hostId: 'id-h1', hostName: 'h1', state: 'running' }],
      notAsked: [],
    });
  });

  it('found running without force: refused as a delete on its host is (409), nothing sent or removed', async () => {
    const t = setup({ h1: 'running' });
    const { error } = await t.remove(false);
    expect(error).toBeInstanceOf(DomainError);
    expect(error!.code).toBe('invalid_state');
    expect(error!.message).toMatch(/h1 has its domain \(libvirt: running\).*force=true/);
    expect(t.sent).toEqual([]);
    expect(t.vms.remove).not.toHaveBeenCalled();
  });

  it('found shut off: undefined there without powering off', async () => {
    const t = setup({ h1: 'absent', h2: 'shutoff' });
    const { error } = await t.remove(false);
    expect(error).toBeUndefined();
    expect(t.sent).toEqual(['vm.undefine on h2']);
    expect(t.vms.remove).toHaveBeenCalled();
  });

  it('found on no host: its records only, nothing sent', async () => {
    const t = setup({ h1: 'absent', h2: 'absent' });
    const { result, error } = await t.remove(false);
    expect(error).toBeUndefined();
    expect(t.sent).toEqual([]);
    expect(t.vms.remove).toHaveBeenCalledWith(VM_ID, t.meta);
    expect(result).toEqual({ deletedVolumes: [], foundOn: [], notAsked: [] });
  });

  it('a host that does not answer or is not up: the task fails naming them, the records stay', async () => {
    const t = setup({ h1: 'absent', h2: 'silent', h3: 'absent' }, { h3: HostStatus.NonResponsive });
    const { error } = await t.remove(false);
    expect(error).toBeInstanceOf(DomainError);
    expect(error!.code).toBe('host_unavailable');
    expect(error!.message).toMatch(
      /h2 \(no answer in 30 s\), h3 \(host is not responding\) could not be asked/,
    );
    expect(error!.message).toMatch(/force=true/);
    expect(error!.details?.map((d) => d.ref?.name)).toEqual(['h2', 'h3']);
    // A host that cannot take commands is not even asked.
    expect(t.probed.sort()).toEqual(['h1', 'h2']);
    expect(t.vms.remove).not.toHaveBeenCalled();
  });

  it('force with hosts not asked: the records go and the result names those hosts', async () => {
    const t = setup({ h1: 'absent', h2: 'silent' });
    const { result, error } = await t.remove(true);
    expect(error).toBeUndefined();
    expect(t.sent).toEqual([]);
    expect(t.vms.remove).toHaveBeenCalled();
    expect(result).toMatchObject({
      foundOn: [],
      notAsked: [{ hostId: 'id-h2', hostName: 'h2', why: 'no answer in 30 s' }],
    });
  });

  it('in a cluster whose hosts never connected: deleted at once (no task, 204), nobody asked', async () => {
    const t = setup({});
    await expect(t.service.remove(VM_ID, {}, t.meta)).resolves.toBeNull();
    expect(t.tasks.launch).not.toHaveBeenCalled();
    expect(t.tasks.assertFree).toHaveBeenCalled();
    expect(t.vms.remove).toHaveBeenCalled();
    // Only hosts whose agent ever sent a heartbeat are candidates.
    expect(t.hostRepo.everConnectedIn).toHaveBeenCalledWith('c1');
  });
});
