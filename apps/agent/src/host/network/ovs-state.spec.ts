import { parseOvsBridges } from './ovs-state';

// As `ovs-vsctl --format=json --columns=… list Bridge|Port` prints them (trimmed uuids).
const BRIDGES = JSON.stringify({
  headings: ['name', 'ports'],
  data: [
    [
      'ovs-eth1',
      [
        'set',
        [
          ['uuid', 'p1'],
          ['uuid', 'p2'],
          ['uuid', 'p3'],
          ['uuid', 'p4'],
          ['uuid', 'p5'],
        ],
      ],
    ],
  ],
});
const PORTS = JSON.stringify({
  headings: ['_uuid', 'name', 'tag', 'fake_bridge'],
  data: [
    [['uuid', 'p1'], 'ovs-eth1', ['set', []], false],
    [['uuid', 'p2'], 'eth1', ['set', []], false],
    [['uuid', 'p3'], 'vmnet10', 10, true],
    [['uuid', 'p4'], 'vnet0', 10, false],
    [['uuid', 'p5'], 'vnet1', 30, false],
  ],
});

describe('parseOvsBridges', () => {
  it('gives a tagged port to the fake bridge of its VLAN, the rest to the real bridge', () => {
    expect(parseOvsBridges(BRIDGES, PORTS)).toEqual([
      { name: 'ovs-eth1', parent: null, vlanId: null, ports: ['eth1', 'vnet1'], bonds: [] },
      { name: 'vmnet10', parent: 'ovs-eth1', vlanId: 10, ports: ['vnet0'] },
    ]);
  });

  it('reads a bridge with a single port (ovsdb writes one reference without a set)', () => {
    const one = JSON.stringify({ headings: ['name', 'ports'], data: [['b', ['uuid', 'p1']]] });
    const ports = JSON.stringify({
      headings: ['_uuid', 'name', 'tag', 'fake_bridge'],
      data: [[['uuid', 'p1'], 'b', ['set', []], false]],
    });
    expect(parseOvsBridges(one, ports)).toEqual([
      { name: 'b', parent: null, vlanId: null, ports: [], bonds: [] },
    ]);
  });

  it('reads a port of several interfaces as a bond, with its members, bond_mode and LACP', () => {
    const bridge = JSON.stringify({
      headings: ['name', 'ports'],
      data: [
        [
          'ovs-bond0',
          [
            'set',
            [
              ['uuid', 'p1'],
              ['uuid', 'p2'],
            ],
          ],
        ],
      ],
    });
    const ports = JSON.stringify({
      headings: ['_uuid', 'name', 'tag', 'fake_bridge', 'interfaces', 'bond_mode', 'lacp', 'other_config'],
      data: [
        [
          ['uuid', 'p1'],
          'ovs-bond0',
          ['set', []],
          false,
          ['uuid', 'i0'],
          ['set', []],
          ['set', []],
          ['map', []],
        ],
        [
          ['uuid', 'p2'],
          'bond0',
          ['set', []],
          false,
          [
            'set',
            [
              ['uuid', 'i2'],
              ['uuid', 'i1'],
            ],
          ],
          'balance-tcp',
          'active',
          [
            'map',
            [
              ['lacp-fallback-ab', 'true'],
              ['lacp-time', 'fast'],
            ],
          ],
        ],
      ],
    });
    const interfaces = JSON.stringify({
      headings: ['_uuid', 'name'],
      data: [
        [['uuid', 'i0'], 'ovs-bond0'],
        [['uuid', 'i1'], 'eth1'],
        [['uuid', 'i2'], 'eth2'],
      ],
    });
    expect(parseOvsBridges(bridge, ports, interfaces)).toEqual([
      {
        name: 'ovs-bond0',
        parent: null,
        vlanId: null,
        ports: ['bond0'],
        bonds: [
          { name: 'bond0', members: ['eth1', 'eth2'], mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' },
        ],
      },
    ]);
  });
});
