import { HostStatus } from '@kelpie/shared-types';
import { VmGuard } from './vm-guard.service';

const host = (status: HostStatus) => ({ id: 'h1', name: 'lab-h1', status, statusReason: null });

function guard(
  status: HostStatus,
  localDisks: { targetDev: string; domainName: string; domainId: string }[] = [],
) {
  const disks = [
    { targetDev: 'vdb', storageDomainId: 'sd-shared' },
    ...localDisks.map((d) => ({ targetDev: d.targetDev, storageDomainId: d.domainId })),
  ];
  const domains = [
    { id: 'sd-shared', name: 'shared', type: 'dir' },
    ...localDisks.map((d) => ({ id: d.domainId, name: d.domainName, type: 'local' })),
  ];
  return new VmGuard(
    {} as never,
    { find: async () => host(status) } as never,
    { byIds: async (ids: string[]) => domains.filter((sd) => ids.includes(sd.id)) } as never,
    { ofVm: async () => disks } as never,
    {} as never,
    {} as never,
  );
}

describe('VmGuard.upHost', () => {
  it('commands for the VMs of a host preparing for maintenance pass only when asked for (stop, delete)', async () => {
    await expect(guard(HostStatus.PreparingForMaintenance).upHost('h1')).rejects.toMatchObject({
      code: 'host_unavailable',
    });
    await expect(
      guard(HostStatus.PreparingForMaintenance).upHost('h1', { preparing: true }),
    ).resolves.toMatchObject({ id: 'h1' });
    // A host in maintenance runs nothing: still refused.
    await expect(guard(HostStatus.Maintenance).upHost('h1', { preparing: true })).rejects.toMatchObject({
      code: 'host_unavailable',
    });
  });
});

describe('VmGuard.assertCanLeaveHost', () => {
  const vm = { id: 'vm-1', name: 'db' } as never;

  it('lets a VM on shared storage start elsewhere', async () => {
    await expect(
      guard(HostStatus.Maintenance).assertCanLeaveHost(
        vm,
        host(HostStatus.Maintenance) as never,
        'in maintenance',
      ),
    ).resolves.toBeUndefined();
  });

  it('409 naming the host-local disks and the way to move them', async () => {
    const g = guard(HostStatus.Maintenance, [{ targetDev: 'vda', domainName: 'local-h1', domainId: 'sd-1' }]);
    await expect(
      g.assertCanLeaveHost(vm, host(HostStatus.Maintenance) as never, 'in maintenance'),
    ).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(
        /cannot start VM db on another host of its cluster \(it leaves lab-h1: in maintenance\): disk\(s\) vda \(local-h1\) are on host-local storage there; start it on lab-h1 .*storage: copy-all/,
      ),
      details: [expect.objectContaining({ ref: { type: 'storage_domain', id: 'sd-1', name: 'local-h1' } })],
    });
  });
});
