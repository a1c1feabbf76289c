import { VirshError, type VirshRunner } from '../process';
import { VolumeOperations, volumeNamesOf } from './volumes';

/** A libvirt that refuses what the real one refuses: a second pool on a name, starting a running pool.
 * Every call yields first, so two callers interleave the way two commands on one host do. */
function fakeLibvirt() {
  const pools = new Map<string, { path: string; active: boolean }>();
  const calls: string[] = [];
  const run = jest.fn(async (args: readonly string[]) => {
    await new Promise((r) => setImmediate(r));
    const [cmd, , name] = args;
    calls.push(cmd!);
    switch (cmd) {
      case 'pool-list':
        return { stdout: [...pools.keys()].join('\n') };
      case 'pool-dumpxml':
        return { stdout: `<pool type='dir'><target><path>${pools.get(name!)!.path}</path></target></pool>` };
      case 'pool-info':
        return { stdout: `State:          ${pools.get(name!)!.active ? 'running' : 'inactive'}\n` };
      case 'pool-define-as':
        if (pools.has(name!)) throw new VirshError('libvirt_error', `pool '${name}' already exists`);
        pools.set(name!, { path: args[6]!, active: false });
        return { stdout: '' };
      case 'pool-start':
        if (pools.get(name!)!.active) throw new VirshError('libvirt_error', 'pool is already active');
        pools.get(name!)!.active = true;
        return { stdout: '' };
      default:
        return { stdout: '' };
    }
  });
  return { virsh: { run } as unknown as VirshRunner, pools, calls };
}

describe('ensureDirPool', () => {
  it('two set-ups of one directory at once: both answer the pool, it is defined and started once', async () => {
    const { virsh, pools, calls } = fakeLibvirt();
    const ops = new VolumeOperations(virsh);
    const [a, b] = await Promise.all([
      ops.ensureDirPool('kelpie-sd', '/srv/sd'),
      ops.ensureDirPool('kelpie-sd', '/srv/sd/'),
    ]);
    expect(a).toEqual({ pool: 'kelpie-sd', path: '/srv/sd', created: true });
    expect(b).toEqual({ pool: 'kelpie-sd', path: '/srv/sd', created: false });
    expect(calls.filter((c) => c === 'pool-define-as')).toHaveLength(1);
    expect(calls.filter((c) => c === 'pool-start')).toHaveLength(1);
    expect(pools.get('kelpie-sd')).toEqual({ path: '/srv/sd', active: true });
  });

  it('a failed set-up does not block the next one', async () => {
    const { virsh, pools } = fakeLibvirt();
    pools.set('kelpie-sd', { path: '/srv/sd', active: false });
    const run = virsh.run as jest.Mock;
    const real = run.getMockImplementation()!;
    run.mockImplementationOnce(() =>
      Promise.reject(new VirshError('libvirt_error', 'libvirtd is restarting')),
    );
    const ops = new VolumeOperations(virsh);
    await expect(ops.ensureDirPool('kelpie-sd', '/srv/sd')).rejects.toThrow(/restarting/);
    run.mockImplementation(real);
    await expect(ops.ensureDirPool('kelpie-sd', '/srv/sd')).resolves.toEqual({
      pool: 'kelpie-sd',
      path: '/srv/sd',
      created: false,
    });
    expect(pools.get('kelpie-sd')!.active).toBe(true);
  });
});

describe('volumeNamesOf', () => {
  it("reads the names of vol-list's table (an iscsi-direct pool's LUNs)", () => {
    const table = [
      ' Name         Path',
      '---------------------------------------------------------------------------------',
      ' unit:0:0:1   ip-10.182.0.1:3260-iscsi-iqn.2026-12.org.kelpie.test:kcp1-lun-1',
      ' unit:0:0:2   ip-10.182.0.1:3260-iscsi-iqn.2026-12.org.kelpie.test:kcp1-lun-2',
      '',
    ].join('\n');
    expect(volumeNamesOf(table)).toEqual(['unit:0:0:1', 'unit:0:0:2']);
    expect(volumeNamesOf(' Name   Path\n-------------\n\n')).toEqual([]);
  });
});
