import type { NetworkAttachmentSpec } from '@kelpie/shared-types';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../logger';
import { HostNetworking } from './host-networking';
import type { IpRunner } from './ip-runner';
import { NetworkStore } from './network-store';

/** A fake `ip` over an in-memory host: eth0 in br0 with the address, eth1 free. Only what the
 * planner emits for these cases is modelled (master, nomaster, link add/del bridge). */
function fakeHost() {
  const links = new Map<string, { master?: string; kind?: string; mtu: number }>([
    ['br0', { kind: 'bridge', mtu: 1500 }],
    ['eth0', { kind: 'veth', master: 'br0', mtu: 1500 }],
    ['eth1', { kind: 'veth', mtu: 1500 }],
  ]);
  const calls: string[] = [];
  const ip: IpRunner = {
    run: (args) => {
      const line = args.join(' ');
      if (args[0] === '-j' && args.includes('addr'))
        return Promise.resolve(
          JSON.stringify(
            [...links].map(([name, l]) => ({
              ifname: name,
              flags: ['UP', 'LOWER_UP'],
              mtu: l.mtu,
              master: l.master,
              link_type: 'ether',
              address: '52:54:00:00:00:01',
              linkinfo: l.kind ? { info_kind: l.kind } : undefined,
              addr_info: name === 'br0' ? [{ local: '10.9.0.11', prefixlen: 24, scope: 'global' }] : [],
            })),
          ),
        );
      if (args[0] === '-j') return Promise.resolve('[]');
      calls.push(line);
      const [, verb, name, what, value] = args;
      if (args[0] === 'link' && verb === 'add') links.set(name!, { kind: 'bridge', mtu: 1500 });
      else if (args[0] === 'link' && verb === 'del') links.delete(name!);
      else if (args[0] === 'link' && what === 'master') links.get(name!)!.master = value;
      else if (args[0] === 'link' && what === 'nomaster') delete links.get(name!)!.master;
      else if (args[0] === 'link' && what === 'mtu') links.get(name!)!.mtu = Number(value);
      return Promise.resolve('');
    },
  };
  return { links, calls, ip };
}

const mgmtOnEth1: NetworkAttachmentSpec = {
  network: 'mgmt',
  bridge: 'br0',
  nic: 'eth1',
  switchType: 'linux_bridge',
  vlanId: null,
  mtu: 1500,
};
const CHECKPOINT = '11111111-1111-4111-8111-111111111111';

describe('HostNetworking', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-hostnet-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const make = (ip: IpRunner, reports: unknown[] = []) =>
    new HostNetworking(
      ip,
      new NetworkStore(dir),
      (s) => Promise.resolve(reports.push(s)),
      createLogger('silent'),
      {
        refreshMs: 60_000,
        monitorArgv: null,
      },
    );

  it('restores the previous links by itself when the engine does not confirm in time', async () => {
    const host = fakeHost();
    const reports: unknown[] = [];
    const net = make(host.ip, reports);
    const outcome = await net.setup(CHECKPOINT, { attachments: [mgmtOnEth1], bonds: [] }, 50, () =>
      Promise.resolve(),
    );
    expect(outcome).toMatchObject({ checkpoint: CHECKPOINT, outcome: 'rolled_back' });
    expect(outcome.reason).toMatch(/did not reach the host .* previous configuration was restored$/);
    expect(host.links.get('eth0')?.master).toBe('br0');
    expect(host.links.get('eth1')?.master).toBeUndefined();
    expect(await new NetworkStore(dir).applied()).toEqual({ attachments: [], bonds: [] });
    expect(await new NetworkStore(dir).pending()).toBeNull();
    expect(reports.at(-1)).toMatchObject({ lastSetup: { outcome: 'rolled_back' } });
  });

  it('keeps and persists the setup once the engine confirms it', async () => {
    const host = fakeHost();
    const net = make(host.ip);
    const outcome = await net.setup(CHECKPOINT, { attachments: [mgmtOnEth1], bonds: [] }, 10_000, () => {
      // The engine's confirmation, as it arrives after the progress report.
      setTimeout(() => expect(net.confirm(CHECKPOINT)).toBe(true), 5);
      return Promise.resolve();
    });
    expect(outcome.outcome).toBe('applied');
    expect(host.links.get('eth1')?.master).toBe('br0');
    expect(await new NetworkStore(dir).applied()).toEqual({ attachments: [mgmtOnEth1], bonds: [] });
    expect(net.confirm(CHECKPOINT)).toBe(false);
  });

  it('rolls back at start a setup its agent died waiting on', async () => {
    const host = fakeHost();
    const before = await make(host.ip).snapshot();
    await new NetworkStore(dir).savePending({ checkpoint: CHECKPOINT, before, touched: ['br0', 'eth1'] });
    await host.ip.run(['link', 'set', 'eth0', 'nomaster']);
    await host.ip.run(['link', 'set', 'eth1', 'master', 'br0']);
    const net = make(host.ip);
    await net.start();
    net.stop();
    expect(host.links.get('eth0')?.master).toBe('br0');
    expect(host.links.get('eth1')?.master).toBeUndefined();
    expect(await new NetworkStore(dir).lastSetup()).toMatchObject({
      outcome: 'rolled_back',
      checkpoint: CHECKPOINT,
    });
  });

  it('refuses a second setup while one waits for its confirmation', async () => {
    const net = make(fakeHost().ip);
    const first = net.setup(CHECKPOINT, { attachments: [mgmtOnEth1], bonds: [] }, 200, () =>
      Promise.resolve(),
    );
    await expect(
      net.setup(CHECKPOINT, { attachments: [mgmtOnEth1], bonds: [] }, 200, () => Promise.resolve()),
    ).rejects.toThrow(/in progress/);
    await first;
  });
});
