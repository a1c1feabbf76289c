import { HostStatus } from '@kelpie/shared-types';
import type { HostEntity } from '../hosts/host.entity';
import { acceptsNewVms, Candidate, freeMemoryMiB, pickTarget } from './migration-scheduler';

const host = (name: string, freeMiB: number, status: HostStatus = HostStatus.Up) =>
  ({
    id: name,
    name,
    status,
    load: { load1: 0, memFreeKiB: freeMiB * 1024, memTotalKiB: 64 * 1024 * 1024, at: '' },
  }) as unknown as HostEntity;
const cand = (h: HostEntity, vmCount = 0): Candidate => ({ host: h, freeMiB: freeMemoryMiB(h)!, vmCount });

describe('migration scheduler', () => {
  it('only Up hosts accept new VMs', () => {
    expect(acceptsNewVms(host('a', 1, HostStatus.Up))).toBe(true);
    for (const s of [HostStatus.Maintenance, HostStatus.PreparingForMaintenance, HostStatus.NonResponsive])
      expect(acceptsNewVms(host('a', 1, s))).toBe(false);
  });

  it('picks the most free memory, and among near-equal hosts the one with fewest VMs', () => {
    expect(pickTarget([cand(host('a', 1000)), cand(host('b', 4000))])!.choice.host.name).toBe('b');
    const near = pickTarget([cand(host('a', 4000), 3), cand(host('b', 3950), 1)])!;
    expect(near.choice.host.name).toBe('b');
    expect(near.reason).toMatch(/fewest VMs/);
    expect(pickTarget([])).toBeNull();
  });

  it('subtracts what a batch already reserved', () => {
    const h = host('a', 4000);
    expect(freeMemoryMiB(h, new Map([['a', { memoryMiB: 500, vms: 1 }]]))).toBe(3500);
  });
});
