import type { BondSpec, NetworkAttachmentSpec } from '@kelpie/shared-types';
import type { Link, LinkSnapshot } from './links';
import { attachmentFixture, linkFixture } from './network-fixtures';
import { planOvsApply } from './ovs-plan';
import type { OvsBridge } from './ovs-state';
import { planApply, planRestore, SetupRefused, touchedBy } from './setup-plan';

const veth = (name: string, o: Partial<Link> = {}) => linkFixture(name, { kind: 'veth', ...o });
const snap = (...links: Link[]): LinkSnapshot => ({ links, routes: [] });
const host = snap(veth('eth0', { master: 'br0' }), veth('eth1', { up: false }), veth('eth2', { up: false }));
const line = (s: { tool: string; args: string[] }) => `${s.tool} ${s.args.join(' ')}`;
const lines = (cmds: string[][]) => cmds.map((c) => c.join(' '));
const opts = { datapathType: 'netdev' };

const ovsBond = (o: Partial<BondSpec> = {}): BondSpec => ({
  name: 'bond0',
  members: ['eth1', 'eth2'],
  mode: 'active-backup',
  switchType: 'ovs',
  ...o,
});
const ovsNet = (o: Partial<NetworkAttachmentSpec> = {}): NetworkAttachmentSpec =>
  attachmentFixture({ network: 'v10', bridge: 'vmnet10', vlanId: 10, nic: 'bond0', switchType: 'ovs', ...o });

describe('OVS bonds (planOvsApply)', () => {
  it('makes the bond a port of ovs-<bond> over its members, networks fake bridges of it', () => {
    const steps = planOvsApply([ovsNet({ mtu: 9000 })], [], [], host, { ...opts, bonds: [ovsBond()] });
    expect(steps.map(line)).toEqual([
      'ovs-vsctl add-br ovs-bond0 -- set bridge ovs-bond0 datapath_type=netdev',
      'ovs-vsctl add-bond ovs-bond0 bond0 eth1 eth2 bond_mode=active-backup lacp=off other_config:lacp-time=slow',
      'ovs-vsctl set interface eth1 mtu_request=9000',
      'ip link set eth1 up',
      'ovs-vsctl set interface eth2 mtu_request=9000',
      'ip link set eth2 up',
      'ovs-vsctl add-br vmnet10 ovs-bond0 10',
      'ovs-vsctl set interface vmnet10 mtu_request=9000',
    ]);
  });

  const bonded: OvsBridge[] = [
    {
      name: 'ovs-bond0',
      parent: null,
      vlanId: null,
      ports: ['bond0'],
      bonds: [
        { name: 'bond0', members: ['eth1', 'eth2'], mode: 'active-backup', lacp: null, lacpRate: null },
      ],
    },
    { name: 'vmnet10', parent: 'ovs-bond0', vlanId: 10, ports: [] },
  ];
  const up = snap(veth('eth1'), veth('eth2'), linkFixture('vmnet10', { kind: 'tun' }));

  it('changes nothing when the bond is there; a new mode is set on the port in place', () => {
    const wanted = [ovsNet()];
    expect(
      planOvsApply(wanted, wanted, bonded, up, { ...opts, bonds: [ovsBond()], previousBonds: [ovsBond()] }),
    ).toEqual([]);
    const slb = ovsBond({ mode: 'balance-slb' });
    expect(
      planOvsApply(wanted, wanted, bonded, up, { ...opts, bonds: [slb], previousBonds: [ovsBond()] }).map(
        line,
      ),
    ).toEqual(['ovs-vsctl set port bond0 bond_mode=balance-slb lacp=off other_config:lacp-time=slow']);
  });

  it('sets LACP with the bond, and changes LACP or its rate in place', () => {
    const tcp = ovsBond({ mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' });
    const lacpCols = 'lacp=active other_config:lacp-time=fast other_config:lacp-fallback-ab=true';
    expect(planOvsApply([], [], [], host, { ...opts, bonds: [tcp] }).map(line)).toEqual([
      'ovs-vsctl add-br ovs-bond0 -- set bridge ovs-bond0 datapath_type=netdev',
      `ovs-vsctl add-bond ovs-bond0 bond0 eth1 eth2 bond_mode=balance-tcp ${lacpCols}`,
      'ip link set eth1 up',
      'ip link set eth2 up',
    ]);
    const wanted = [ovsNet()];
    const withLacp = (lacp: string | null, lacpRate: string | null): OvsBridge[] => [
      { ...bonded[0]!, bonds: [{ ...bonded[0]!.bonds![0]!, mode: 'balance-tcp', lacp, lacpRate }] },
      bonded[1]!,
    ];
    const plan = (have: OvsBridge[], want: BondSpec) =>
      planOvsApply(wanted, wanted, have, up, { ...opts, bonds: [want], previousBonds: [want] }).map(line);
    expect(plan(withLacp('active', 'fast'), tcp)).toEqual([]);
    expect(plan(withLacp('active', null), tcp)).toEqual([
      `ovs-vsctl set port bond0 bond_mode=balance-tcp ${lacpCols}`,
    ]);
    expect(plan(withLacp('active', 'fast'), { ...tcp, lacp: 'passive' })).toEqual([
      'ovs-vsctl set port bond0 bond_mode=balance-tcp lacp=passive other_config:lacp-time=fast other_config:lacp-fallback-ab=true',
    ]);
  });

  it('moves a network from a NIC to a bond of it: the old uplink goes first, so the NIC is free', () => {
    const onEth1: OvsBridge[] = [
      { name: 'ovs-eth1', parent: null, vlanId: null, ports: ['eth1'] },
      { name: 'vmnet10', parent: 'ovs-eth1', vlanId: 10, ports: [] },
    ];
    const steps = planOvsApply([ovsNet()], [ovsNet({ nic: 'eth1' })], onEth1, up, {
      ...opts,
      bonds: [ovsBond()],
    });
    expect(steps.map(line)).toEqual([
      'ovs-vsctl del-br vmnet10',
      'ovs-vsctl --if-exists del-br ovs-eth1',
      'ovs-vsctl add-br ovs-bond0 -- set bridge ovs-bond0 datapath_type=netdev',
      'ovs-vsctl --if-exists del-port eth1',
      'ovs-vsctl add-bond ovs-bond0 bond0 eth1 eth2 bond_mode=active-backup lacp=off other_config:lacp-time=slow',
      'ovs-vsctl add-br vmnet10 ovs-bond0 10',
      'ovs-vsctl set interface vmnet10 mtu_request=1500',
    ]);
    // And back (what a rollback plans): the bond's bridge goes before eth1 is a port again.
    const back = planOvsApply([ovsNet({ nic: 'eth1' })], [ovsNet()], bonded, up, {
      ...opts,
      restore: true,
      previousBonds: [ovsBond()],
    });
    expect(back.map(line)).toEqual([
      'ovs-vsctl del-br vmnet10',
      'ovs-vsctl --if-exists del-br ovs-bond0',
      'ovs-vsctl add-br ovs-eth1 -- set bridge ovs-eth1 datapath_type=netdev',
      'ovs-vsctl --may-exist add-port ovs-eth1 eth1',
      'ovs-vsctl add-br vmnet10 ovs-eth1 10',
      'ovs-vsctl set interface vmnet10 mtu_request=1500',
    ]);
  });

  it('re-makes the bond port when its members change', () => {
    const three = snap(veth('eth1'), veth('eth2'), veth('eth3'), linkFixture('vmnet10', { kind: 'tun' }));
    const steps = planOvsApply([ovsNet()], [ovsNet()], bonded, three, {
      ...opts,
      bonds: [ovsBond({ members: ['eth1', 'eth3'] })],
      previousBonds: [ovsBond()],
    });
    expect(steps.map(line)).toEqual([
      'ovs-vsctl --if-exists del-port bond0',
      'ovs-vsctl add-bond ovs-bond0 bond0 eth1 eth3 bond_mode=active-backup lacp=off other_config:lacp-time=slow',
    ]);
  });

  it.each([
    [[ovsBond({ members: ['eth1', 'eth9'] })], [ovsNet()], /bond bond0: NIC eth9 does not exist/],
    [[ovsBond({ mode: 'balance-tcp' })], [ovsNet()], /bond bond0: balance-tcp needs LACP active or passive/],
    [
      [ovsBond({ mode: 'balance-rr' })],
      [ovsNet()],
      /mode balance-rr is not one of active-backup, balance-slb, balance-tcp/,
    ],
    [
      [ovsBond(), ovsBond({ name: 'bond1', members: ['eth2', 'eth0'] })],
      [],
      /bonds bond0 and bond1 both want eth2/,
    ],
    [[ovsBond()], [ovsNet({ nic: 'eth1' })], /network v10 is on eth1, which is a member of bond bond0/],
    [[ovsBond({ members: ['eth0', 'eth1'] })], [], /eth0 is a port of br0/],
    [[ovsBond({ members: ['eth1', 'eth1'] })], [], /needs two different NICs/],
  ])('refuses an impossible bond before any command (%#)', (bonds, nets, why) => {
    expect(() => planOvsApply(nets, [], [], host, { ...opts, bonds })).toThrow(SetupRefused);
    expect(() => planOvsApply(nets, [], [], host, { ...opts, bonds })).toThrow(why);
  });

  it('removes a bond no setup wants any more with its bridge', () => {
    expect(
      planOvsApply([], [ovsNet()], bonded, up, { ...opts, previousBonds: [ovsBond()] }).map(line),
    ).toEqual(['ovs-vsctl --if-exists del-br vmnet10', 'ovs-vsctl --if-exists del-br ovs-bond0']);
  });
});

// This kernel has no bonding driver: the Linux path is proven by its commands only.
describe('Linux bonds (planApply)', () => {
  const bond = (o: Partial<BondSpec> = {}): BondSpec => ({ ...ovsBond(), switchType: 'linux_bridge', ...o });
  const net = attachmentFixture({ network: 'vm', bridge: 'br-vm', nic: 'bond0', mtu: 9000 });

  it('makes the bond in its mode, enslaves the members while down, then bridges the network on it', () => {
    expect(lines(planApply([net], [], host, [bond({ mode: '802.3ad' })]))).toEqual([
      'link add bond0 type bond mode 802.3ad',
      'link set eth1 down',
      'link set eth1 master bond0',
      'link set eth1 up',
      'link set eth2 down',
      'link set eth2 master bond0',
      'link set eth2 up',
      'link set bond0 up',
      'link add br-vm type bridge',
      'link set bond0 mtu 9000',
      'link set bond0 master br-vm',
      'link set br-vm mtu 9000',
      'link set bond0 up',
      'link set br-vm up',
    ]);
  });

  it('refuses LACP settings on a Linux bond (its mode 802.3ad is LACP)', () => {
    expect(() => planApply([net], [], host, [bond({ mode: '802.3ad', lacp: 'active' })])).toThrow(
      /bond bond0: LACP settings are for Open vSwitch bonds/,
    );
  });

  it('changes the mode of an existing bond while it is down; deletes a bond no longer wanted', () => {
    const have = snap(
      veth('eth0', { master: 'br0' }),
      linkFixture('bond0', { kind: 'bond', bondMode: 'active-backup' }),
      veth('eth1', { master: 'bond0' }),
      veth('eth2', { master: 'bond0' }),
    );
    expect(lines(planApply([], [], have, [bond({ mode: 'balance-xor' })], [bond()]))).toEqual([
      'link set bond0 down',
      'link set bond0 type bond mode balance-xor',
      'link set bond0 up',
    ]);
    expect(lines(planApply([], [], have, [], [bond()]))).toEqual(['link del bond0']);
  });

  it('refuses an OVS-only mode and a member that carries a network', () => {
    expect(() => planApply([], [], host, [bond({ mode: 'balance-slb' })])).toThrow(
      /balance-slb is not one of/,
    );
    expect(() => planApply([attachmentFixture({ nic: 'eth2' })], [], host, [bond()])).toThrow(
      /network n is on eth2, which is a member of bond bond0/,
    );
  });

  it('rolls back: a bond the setup made is deleted, one it deleted is made again in its mode', () => {
    const before = snap(
      linkFixture('bond1', { kind: 'bond', bondMode: 'balance-rr' }),
      veth('eth3', { master: 'bond1' }),
      veth('eth1'),
      veth('eth2'),
    );
    const after = snap(
      linkFixture('bond0', { kind: 'bond', bondMode: 'active-backup' }),
      veth('eth1', { master: 'bond0' }),
      veth('eth2', { master: 'bond0' }),
      veth('eth3'),
    );
    const touched = touchedBy([], [[bond()], [bond({ name: 'bond1', members: ['eth3', 'eth4'] })]]);
    expect(lines(planRestore(before, after, touched))).toEqual([
      'link del bond0',
      'link add bond1 type bond mode balance-rr',
      'link set eth1 nomaster',
      'link set eth2 nomaster',
      'link set eth3 master bond1',
      'link set bond1 up',
    ]);
  });
});
