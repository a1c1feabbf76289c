import { VirshError, type VirshRunner } from '../process';
import { domiftuneArgs, listsDevice, VmDeviceOperations } from './vm-devices';

describe('domiftuneArgs', () => {
  it('gives each direction as average[,peak[,burst]] and clears a direction without a limit', () => {
    expect(domiftuneArgs({ inbound: { average: 700, peak: 900, burst: 64 } })).toEqual([
      '--inbound',
      '700,900,64',
      '--outbound',
      '0',
    ]);
    expect(domiftuneArgs({ inbound: { average: 700, burst: 64 }, outbound: { average: 500 } })).toEqual([
      '--inbound',
      '700,,64',
      '--outbound',
      '500',
    ]);
    expect(domiftuneArgs({})).toEqual(['--inbound', '0', '--outbound', '0']);
  });
});

describe('live detach waits for the guest to let go', () => {
  const NIC = { kind: 'nic' as const, id: '52:54:00:aa:bb:02' };
  const IFLIST = (macs: string[]) =>
    [' Interface   Type     Source   Model    MAC', '-'.repeat(50)]
      .concat(macs.map((m, i) => ` vnet${i}   bridge   br0   virtio   ${m}`))
      .join('\n');

  /** A virsh whose domiflist still lists the NIC for `heldFor` polls after the live detach. */
  function fakeVirsh(heldFor: number) {
    const calls: string[][] = [];
    let polls = 0;
    const run = jest.fn(async (args: string[]) => {
      calls.push(args);
      if (args[0] !== 'domiflist') return { stdout: '', stderr: '' };
      polls++;
      const macs = polls <= heldFor ? ['52:54:00:aa:bb:01', NIC.id.toUpperCase()] : ['52:54:00:aa:bb:01'];
      return { stdout: IFLIST(macs), stderr: '' };
    });
    return { ops: new VmDeviceOperations({ run } as unknown as VirshRunner), calls, run };
  }
  const scopes = (calls: string[][]) =>
    calls.filter((c) => c[0] === 'detach-device').map((c) => c.slice(5).join(' '));

  it('removes the NIC from the definition only once the running guest no longer lists it', async () => {
    const { ops, calls } = fakeVirsh(2);
    await ops.detachDevice('u1', '<interface/>', true, NIC);
    expect(scopes(calls)).toEqual(['--live', '--config']);
    const configAt = calls.findIndex((c) => c.includes('--config'));
    expect(calls.slice(0, configAt).filter((c) => c[0] === 'domiflist')).toHaveLength(3);
  });

  it('fails with the device still defined when the guest never releases it', async () => {
    const { calls, run } = fakeVirsh(Number.MAX_SAFE_INTEGER);
    const ops = new VmDeviceOperations({ run } as unknown as VirshRunner, 1_000);
    await expect(ops.detachDevice('u1', '<interface/>', true, NIC)).rejects.toThrow(
      /did not release NIC 52:54:00:aa:bb:02 within 1 s/,
    );
    expect(scopes(calls)).toEqual(['--live']);
  });

  it('treats a device libvirt no longer has as detached (a repeated command)', async () => {
    const run = jest.fn(async (args: string[]) => {
      if (args[0] === 'detach-device')
        throw new VirshError('libvirt_error', 'error: device not found: no device matching MAC address');
      return { stdout: IFLIST([]), stderr: '' };
    });
    const ops = new VmDeviceOperations({ run } as unknown as VirshRunner);
    await expect(ops.detachDevice('u1', '<interface/>', true, NIC)).resolves.toBeUndefined();
    expect(run.mock.calls.map((c) => c[0][0])).toEqual(['detach-device', 'domiflist', 'detach-device']);
  });

  it('finds a disk by its target in domblklist, not by a path that contains the name', () => {
    const list = ' Target   Source\n------------------\n vda      /pool/vdb-image.qcow2\n';
    expect(listsDevice(list, { kind: 'disk', id: 'vdb' })).toBe(false);
    expect(listsDevice(list, { kind: 'disk', id: 'vda' })).toBe(true);
  });
});
