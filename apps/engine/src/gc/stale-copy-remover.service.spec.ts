import { VmStatus } from '@kelpie/shared-types';
import { Subject } from 'rxjs';
import type { CommandBus } from '../agents/command-bus.service';
import type { VmStateSyncService } from '../agents/vm-state-sync.service';
import type { EventsService } from '../events/events.service';
import type { GcRepository, GcVmRow } from './gc.repository';
import { STALE_COPY_RETRY_MS, StaleCopyRemover } from './stale-copy-remover.service';

const VM = 'vm-1';
const running = (over: Partial<GcVmRow> = {}): GcVmRow => ({
  id: VM,
  name: 'web',
  host_id: 'h1',
  host_name: 'lab-h1',
  status: VmStatus.Up,
  ...over,
});

function remover(vm: GcVmRow | undefined, send = jest.fn(async () => ({ ok: true }))) {
  const staleCopies = new Subject<{ vmId: string; hostId: string }>();
  const record = jest.fn(async () => undefined);
  const r = new StaleCopyRemover(
    { staleCopies } as unknown as VmStateSyncService,
    {
      knownVms: jest.fn(async () => (vm ? [vm] : [])),
      hostNames: jest.fn(async () => new Map([['h2', 'lab-h2']])),
    } as unknown as GcRepository,
    { send } as unknown as CommandBus,
    { record } as unknown as EventsService,
  );
  return { r, send, record, staleCopies };
}

describe('StaleCopyRemover', () => {
  it('undefines the copy on the reporting host, only if it is shut off there, and audits it', async () => {
    const { r, send, record } = remover(running());
    expect(await r.remove(VM, 'h2')).toBe(true);
    expect(send).toHaveBeenCalledWith('h2', 'vm.undefine', { uuid: VM, onlyIfInactive: true });
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'gc.domain_removed',
        message:
          'undefined a stale copy of VM web (vm-1) on host lab-h2: the VM runs on lab-h1; its disks were kept',
      }),
    );
  });

  it('is told by the sync service', async () => {
    const { r, send, staleCopies } = remover(running());
    r.onModuleInit();
    staleCopies.next({ vmId: VM, hostId: 'h2' });
    await new Promise((res) => setImmediate(res));
    expect(send).toHaveBeenCalledTimes(1);
    r.onApplicationShutdown();
  });

  it.each([
    ['the VM stopped meanwhile', running({ status: VmStatus.Down })],
    ['the VM is back on the reporting host', running({ host_id: 'h2' })],
    ['the VM is on no host', running({ host_id: null })],
    ['the VM is gone', undefined],
  ])('leaves the definition alone when %s', async (_why, vm) => {
    const { r, send, record } = remover(vm);
    expect(await r.remove(VM, 'h2')).toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
  });

  it('after a failed removal waits before trying again (reports come every few seconds)', async () => {
    const send = jest.fn(async () => {
      throw new Error('libvirt: domain is running');
    });
    const { r } = remover(running(), send);
    await expect(r.remove(VM, 'h2', 1_000)).rejects.toThrow('running');
    expect(await r.remove(VM, 'h2', 1_000 + STALE_COPY_RETRY_MS - 1)).toBe(false);
    await expect(r.remove(VM, 'h2', 1_000 + STALE_COPY_RETRY_MS)).rejects.toThrow('running');
    expect(send).toHaveBeenCalledTimes(2);
  });
});
