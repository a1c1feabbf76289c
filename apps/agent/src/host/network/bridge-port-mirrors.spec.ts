import {
  MIRROR_PREF,
  parseBridgeLinks,
  parseMirrorFilters,
  planBridgeMirrors,
  syncBridgeMirrors,
  type BridgeMirrorFacts,
} from './bridge-port-mirrors';
import type { IpRunner } from './ip-runner';

const flags = (on: boolean) => ({ learning: on, flood: on, mcast_flood: on, bcast_flood: on });
const port = (ifname: string, master: string, on = true) => ({
  ifname,
  master,
  linkinfo: { info_kind: 'tun', info_slave_kind: 'bridge', info_slave_data: flags(on) },
});
const LINKS = JSON.stringify([
  { ifname: 'lo' },
  { ifname: 'br0', linkinfo: { info_kind: 'bridge' } },
  { ifname: 'eth1', master: 'br0', linkinfo: { info_slave_kind: 'bridge', info_slave_data: flags(true) } },
  port('vnet0', 'br0'),
  port('kmir0123456789a', 'br0'),
  port('vnet7', 'ovs-system'),
  { ifname: 'br1', linkinfo: { info_kind: 'bridge' } },
  port('vnet1', 'br1'),
]);
const mirror = (dev: string, dir: string, to: string) =>
  `tc filter add dev ${dev} ${dir} pref ${MIRROR_PREF} protocol all u32 match u32 0 0 action mirred egress mirror dev ${to}`;
const text = (steps: { tool: string; args: string[] }[]) => steps.map((s) => [s.tool, ...s.args].join(' '));

describe('Linux bridge port mirrors', () => {
  it('reads bridges, their ports (quiet or not) and clsact devices', () => {
    const facts = parseBridgeLinks(
      LINKS,
      JSON.stringify([
        { kind: 'noqueue', dev: 'br0' },
        { kind: 'clsact', dev: 'vnet1' },
      ]),
    );
    expect(facts).toEqual({
      bridges: [
        {
          name: 'br0',
          ports: [
            { name: 'eth1', quiet: false },
            { name: 'vnet0', quiet: false },
            { name: 'kmir0123456789a', quiet: false },
          ],
        },
        { name: 'br1', ports: [{ name: 'vnet1', quiet: false }] },
      ],
      clsact: ['vnet1'],
    });
  });

  it('mirrors every other port’s ingress and the bridge’s egress to the marked tap, which goes quiet', () => {
    const facts = { ...parseBridgeLinks(LINKS, '[]'), filters: [] };
    expect(text(planBridgeMirrors(facts))).toEqual([
      'tc qdisc add dev br0 clsact',
      mirror('br0', 'egress', 'kmir0123456789a'),
      'tc qdisc add dev eth1 clsact',
      mirror('eth1', 'ingress', 'kmir0123456789a'),
      'tc qdisc add dev vnet0 clsact',
      mirror('vnet0', 'ingress', 'kmir0123456789a'),
      'bridge link set dev kmir0123456789a flood off mcast_flood off bcast_flood off learning off',
    ]);
  });

  it('keeps filters in place, replaces a changed set, removes those of a tap that went; others’ tc alone', () => {
    const tap = 'kmir0123456789a';
    const bridges: BridgeMirrorFacts['bridges'] = [
      {
        name: 'br0',
        ports: [
          { name: 'eth1', quiet: false },
          { name: tap, quiet: true },
          { name: 'kmirbbbbbbbbbbb', quiet: true },
        ],
      },
    ];
    const kept: BridgeMirrorFacts = {
      bridges,
      clsact: ['br0', 'eth1', tap, 'kmirbbbbbbbbbbb'],
      filters: [
        { dev: 'br0', dir: 'egress', targets: ['kmirbbbbbbbbbbb', tap] },
        { dev: 'eth1', dir: 'ingress', targets: [tap, 'kmirbbbbbbbbbbb'] },
        { dev: tap, dir: 'ingress', targets: ['kmirbbbbbbbbbbb'] },
        { dev: 'kmirbbbbbbbbbbb', dir: 'ingress', targets: [tap] },
      ],
    };
    expect(planBridgeMirrors(kept)).toEqual([]);
    // The second listener stopped: its port went with its own filters; the others mirror to `*`.
    const gone: BridgeMirrorFacts = {
      bridges: [{ name: 'br0', ports: bridges[0]!.ports.slice(0, 2) }],
      clsact: ['br0', 'eth1', tap],
      filters: [
        { dev: 'br0', dir: 'egress', targets: ['*', tap] },
        { dev: 'eth1', dir: 'ingress', targets: [tap, '*'] },
        { dev: tap, dir: 'ingress', targets: ['*'] },
      ],
    };
    expect(text(planBridgeMirrors(gone))).toEqual([
      `tc filter del dev br0 egress pref ${MIRROR_PREF}`,
      mirror('br0', 'egress', tap),
      `tc filter del dev eth1 ingress pref ${MIRROR_PREF}`,
      mirror('eth1', 'ingress', tap),
      `tc filter del dev ${tap} ingress pref ${MIRROR_PREF}`,
    ]);
    // No marked tap left: only Kelpie's pref goes, the clsact qdiscs and others' filters stay.
    const none: BridgeMirrorFacts = {
      bridges: [{ name: 'br0', ports: [{ name: 'eth1', quiet: false }] }],
      clsact: ['br0', 'eth1'],
      filters: [
        { dev: 'br0', dir: 'egress', targets: ['*'] },
        { dev: 'eth1', dir: 'ingress', targets: ['*'] },
      ],
    };
    expect(text(planBridgeMirrors(none))).toEqual([
      `tc filter del dev br0 egress pref ${MIRROR_PREF}`,
      `tc filter del dev eth1 ingress pref ${MIRROR_PREF}`,
    ]);
  });

  it('reads only Kelpie’s mirred targets from `tc -j filter show` (a gone device is `*`)', () => {
    const json = JSON.stringify([
      { protocol: 'all', pref: 49001, kind: 'u32', chain: 0 },
      { protocol: 'all', pref: 49001, kind: 'u32', chain: 0, options: { fh: '800:', ht_divisor: 1 } },
      {
        protocol: 'all',
        pref: 49001,
        kind: 'u32',
        options: { fh: '800::800', actions: [{ order: 1, kind: 'mirred', to_dev: 'kmirabc' }] },
      },
      { protocol: 'all', pref: 49001, kind: 'u32', options: { actions: [{ kind: 'mirred', to_dev: '*' }] } },
      { protocol: 'ip', pref: 10, kind: 'u32', options: { actions: [{ kind: 'mirred', to_dev: 'ids0' }] } },
    ]);
    expect(parseMirrorFilters(json)).toEqual(['kmirabc', '*']);
    expect(parseMirrorFilters('')).toEqual([]);
  });

  it('runs the plan with tc and bridge, and tries every step even when one fails', async () => {
    const calls: string[] = [];
    const runner = (tool: string, answer: (args: readonly string[]) => string): IpRunner => ({
      run: (args) => {
        calls.push([tool, ...args].join(' '));
        const a = answer(args);
        return a === 'fail' ? Promise.reject(new Error(`${tool} failed`)) : Promise.resolve(a);
      },
    });
    const ip = runner('ip', () => LINKS);
    const tc = runner('tc', (args) =>
      args[1] === 'qdisc' ? '[]' : args.join(' ').includes('dev eth1 ingress') ? 'fail' : '',
    );
    const bridge = runner('bridge', () => '');
    await expect(syncBridgeMirrors(ip, tc, bridge)).rejects.toThrow('tc failed');
    expect(calls.filter((c) => c.startsWith('tc filter add'))).toHaveLength(3);
    expect(calls.at(-1)).toMatch(/^bridge link set dev kmir0123456789a flood off/);
  });
});
