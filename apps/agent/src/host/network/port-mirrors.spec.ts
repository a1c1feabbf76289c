import { parseMirrorFacts, planMirrors, PORT_MIRRORING_PROFILE } from './port-mirrors';

const table = (headings: string[], data: unknown[][]) => JSON.stringify({ headings, data });
const set = (...xs: unknown[]) => ['set', xs];
const uuid = (u: string) => ['uuid', u];

describe('port mirrors', () => {
  const ifaces = table(
    ['name', 'external_ids'],
    [
      [
        'vnet0',
        [
          'map',
          [
            ['port-profile', PORT_MIRRORING_PROFILE],
            ['attached-mac', '52:54:00:00:00:01'],
          ],
        ],
      ],
      ['vnet1', ['map', [['attached-mac', '52:54:00:00:00:02']]]],
      ['ovs-eth1', ['map', []]],
    ],
  );
  const ports = table(
    ['_uuid', 'name', 'tag'],
    [
      [uuid('p0'), 'vnet0', 10],
      [uuid('p1'), 'vnet1', 10],
      [uuid('pe'), 'eth1', set()],
    ],
  );
  const bridges = (mirrors: unknown) =>
    table(['name', 'ports', 'mirrors'], [['ovs-eth1', set(uuid('p0'), uuid('p1'), uuid('pe')), mirrors]]);
  const mirrors = (...rows: unknown[][]) => table(['_uuid', 'name', 'output_port'], rows);

  it('makes a mirror of the marked port’s VLAN on its real bridge, output to the port', () => {
    const facts = parseMirrorFacts(ifaces, ports, bridges(set()), mirrors());
    expect(facts).toEqual({
      marked: [{ port: 'vnet0', uuid: 'p0', bridge: 'ovs-eth1', tag: 10 }],
      mirrors: [],
    });
    expect(planMirrors(facts).map((s) => s.join(' '))).toEqual([
      '-- --id=@p get port vnet0 -- --id=@m create mirror name=kelpie-mirror-vnet0 select_all=true ' +
        'output_port=@p select_vlan=10 -- add bridge ovs-eth1 mirrors @m',
    ]);
  });

  it('keeps a mirror in place; removes one whose port went or was replaced; leaves foreign mirrors', () => {
    const kept = parseMirrorFacts(
      ifaces,
      ports,
      bridges(set(uuid('m0'), uuid('mx'))),
      mirrors([uuid('m0'), 'kelpie-mirror-vnet0', uuid('p0')], [uuid('mx'), 'admin-span', set()]),
    );
    expect(planMirrors(kept)).toEqual([]);
    // The VM stopped: libvirt deleted its port, the mirror's (weak) output reference is empty.
    const gone = parseMirrorFacts(
      table(['name', 'external_ids'], []),
      ports,
      bridges(uuid('m0')),
      mirrors([uuid('m0'), 'kelpie-mirror-vnet0', set()]),
    );
    expect(planMirrors(gone)).toEqual([['remove', 'bridge', 'ovs-eth1', 'mirrors', 'm0']]);
    // Same tap name, another VM's port: the stale mirror goes, a new one comes.
    const reused = parseMirrorFacts(
      ifaces,
      ports,
      bridges(uuid('m0')),
      mirrors([uuid('m0'), 'kelpie-mirror-vnet0', set()]),
    );
    expect(planMirrors(reused).map((s) => s.slice(0, 5).join(' '))).toEqual([
      'remove bridge ovs-eth1 mirrors m0',
      '-- --id=@p get port vnet0',
    ]);
  });
});
