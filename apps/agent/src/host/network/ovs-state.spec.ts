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
      { name: 'ovs-eth1', parent: null, vlanId: null, ports: ['eth1', 'vnet1'] },
      { name: 'vmnet10', parent: 'ovs-eth1', vlanId: 10, ports: ['vnet0'] },
    ]);
  });

  it('reads a bridge with a single port (ovsdb writes one reference without a set)', () => {
    const one = JSON.stringify({ headings: ['name', 'ports'], data: [['b', ['uuid', 'p1']]] });
    const ports = JSON.stringify({
      headings: ['_uuid', 'name', 'tag', 'fake_bridge'],
      data: [[['uuid', 'p1'], 'b', ['set', []], false]],
    });
    expect(parseOvsBridges(one, ports)).toEqual([{ name: 'b', parent: null, vlanId: null, ports: [] }]);
  });
});
