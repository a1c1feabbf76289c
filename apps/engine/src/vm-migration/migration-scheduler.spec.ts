import { HostStatus } from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';
import { acceptsNewVms, freeMemoryMiB } from './migration-scheduler';

const host = (name: string, freeMiB: number, status: HostStatus = HostStatus.Up) =>
  ({
    id: name,
    name,
    status,
    load: { load1: 0, memFreeKiB: freeMiB * 1024, memTotalKiB: 64 * 1024 * 1024, at: '' },
  }) as unknown as HostEntity;

describe('migration scheduler', () => {
  it('only Up hosts accept new VMs', () => {
    expect(acceptsNewVms(host('a', 1, HostStatus.Up))).toBe(true);
    for (const s of [HostStatus.Maintenance, HostStatus.PreparingForMaintenance, HostStatus.NonResponsive])
      expect(acceptsNewVms(host('a', 1, s))).toBe(false);
  });

  it('subtracts what a batch already reserved', () => {
    const h = host('a', 4000);
    expect(freeMemoryMiB(h, new Map([['a', { memoryMiB: 500, vms: 1 }]]))).toBe(3500);
  });
});
