import { bondErrors } from './bond-validation';

const nics = new Set(['eth0', 'eth1', 'eth2', 'eth3']);
const bond = { name: 'bond0', members: ['eth1', 'eth2'], mode: 'active-backup' as const };

describe('bondErrors', () => {
  it('accepts a bond of reported NICs carrying a network', () => {
    expect(bondErrors([bond], [{ networkId: 'n', nic: 'bond0' }], 'ovs', nics)).toEqual([]);
    // Before the agent reported its NICs only the host can judge the members.
    expect(bondErrors([{ ...bond, members: ['x1', 'x2'] }], [], 'ovs', null)).toEqual([]);
  });

  it('names the field and the reason of each mistake', () => {
    expect(
      bondErrors(
        [
          { ...bond, mode: 'balance-rr' },
          { name: 'eth3', members: ['eth2', 'eth9'], mode: 'balance-slb' },
        ],
        [{ networkId: 'n', nic: 'eth1' }],
        'ovs',
        nics,
      ),
    ).toEqual([
      {
        field: 'bonds[0].mode',
        reason: 'balance-rr is not a bond mode of ovs (active-backup, balance-slb, balance-tcp)',
      },
      {
        field: 'bonds[0].members[0]',
        reason: 'eth1 carries a network of this setup: put the network on bond0',
      },
      { field: 'bonds[1].name', reason: 'the host has a NIC named eth3' },
      { field: 'bonds[1].members[0]', reason: 'eth2 is already a member of bond bond0' },
      { field: 'bonds[1].members[1]', reason: 'the host has no NIC eth9' },
    ]);
  });

  it('checks Linux modes for Linux-bridge clusters', () => {
    expect(bondErrors([{ ...bond, mode: 'balance-slb' }], [], 'linux_bridge', nics)[0]).toMatchObject({
      field: 'bonds[0].mode',
    });
    expect(bondErrors([{ ...bond, mode: '802.3ad' }], [], 'linux_bridge', nics)).toEqual([]);
  });

  it('checks LACP: Open vSwitch only, needed by balance-tcp, a rate only with LACP on', () => {
    const at = (b: object, sw: 'ovs' | 'linux_bridge' = 'ovs') =>
      bondErrors([{ ...bond, ...b }], [], sw, nics);
    expect(at({ mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' })).toEqual([]);
    expect(at({ mode: 'balance-slb', lacp: 'passive' })).toEqual([]);
    expect(at({ mode: 'balance-tcp' })).toEqual([
      { field: 'bonds[0].lacp', reason: 'balance-tcp needs LACP: set lacp to active or passive' },
    ]);
    expect(at({ mode: 'balance-tcp', lacp: 'off' })[0]?.field).toBe('bonds[0].lacp');
    expect(at({ lacpRate: 'fast' })).toEqual([
      { field: 'bonds[0].lacpRate', reason: 'lacpRate needs lacp active or passive' },
    ]);
    expect(at({ mode: '802.3ad', lacp: 'active', lacpRate: 'fast' }, 'linux_bridge')).toEqual([
      {
        field: 'bonds[0].lacp',
        reason: 'lacp is for Open vSwitch bonds: a Linux bond negotiates LACP with mode 802.3ad',
      },
      {
        field: 'bonds[0].lacpRate',
        reason: 'lacpRate is for Open vSwitch bonds: a Linux bond negotiates LACP with mode 802.3ad',
      },
    ]);
    expect(at({ lacp: 'off' }, 'linux_bridge')).toEqual([]);
  });
});
