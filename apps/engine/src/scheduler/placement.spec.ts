import { HostStatus } from '@kelpie/shared-types';
import { choose, HostCandidate } from './placement';

const host = (name: string, over: Partial<HostCandidate> = {}): HostCandidate => ({
  id: `id-${name}`,
  name,
  status: HostStatus.Up,
  memoryMib: 4096,
  freeMib: 3000,
  committedMib: 0,
  vmCount: 0,
  ...over,
});
const req = { memoryMib: 512, reserveMib: 256 };

describe('placement (evenly distributed)', () => {
  it('picks the host with the least committed memory, then fewest VMs, then name', () => {
    expect(
      choose([host('a', { committedMib: 1024 }), host('b', { committedMib: 512 })], req).host?.name,
    ).toBe('b');
    expect(choose([host('a', { vmCount: 3 }), host('b', { vmCount: 1 })], req).host?.name).toBe('b');
    expect(choose([host('b'), host('a')], req).host?.name).toBe('a');
  });

  it('skips hosts that are not up, lack memory, storage or bridges, and says why', () => {
    const p = choose(
      [
        host('down', { status: HostStatus.NonResponsive }),
        host('full', { committedMib: 3500 }),
        host('nostorage', { missingPaths: ['/srv/sd'] }),
        host('nobridge', { missingBridges: ['br9'] }),
        host('ok', { committedMib: 2000 }),
      ],
      req,
    );
    expect(p.host?.name).toBe('ok');
    const why = Object.fromEntries(p.considered.map((v) => [v.name, v.reason]));
    expect(why.down).toBe('host is not responding, not up');
    expect(why.full).toMatch(/needs 512 MiB, only 340 MiB/);
    expect(why.nostorage).toMatch(/\/srv\/sd/);
    expect(why.nobridge).toMatch(/br9/);
    expect(p.reason).toMatch(/^ok: least committed/);
  });

  it('explains when nothing fits', () => {
    const p = choose([host('a', { memoryMib: null }), host('b', { memoryMib: 512 })], req);
    expect(p.host).toBeNull();
    expect(p.reason).toMatch(/no host fits \(a: host has not reported.*; b: needs 512 MiB/);
    expect(choose([], req).reason).toBe('the cluster has no hosts');
  });
});
