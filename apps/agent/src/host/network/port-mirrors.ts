import { OVS_PORT_MIRRORING_PROFILE as PORT_MIRRORING_PROFILE } from '@kelpie/shared-types';
import type { IpRunner } from './ip-runner';
import { atom, atoms, mapValue, OVS_VSCTL_TIMEOUT, rows } from './ovs-state';

export { PORT_MIRRORING_PROFILE };
/** Kelpie's mirrors are named after their output port; others on the host are left alone. */
const MIRROR_PREFIX = 'kelpie-mirror-';

/** What ovsdb says about ports and mirrors, as the reconciler needs it. */
export interface MirrorFacts {
  /** VM ports marked for mirroring: the port, its uuid, its real bridge and VLAN tag (null: none). */
  marked: { port: string; uuid: string; bridge: string; tag: number | null }[];
  /** Kelpie's mirrors: the bridge holding each and its output port's uuid (null: the port is gone). */
  mirrors: { uuid: string; name: string; bridge: string; output: string | null }[];
}

/**
 * `ovs-vsctl` commands making one mirror per marked port (all of its bridge's traffic on the port's
 * VLAN, output to the port; OVS then sends that port nothing else, so the NIC only listens) and
 * removing Kelpie's mirrors whose port went (VM stopped, migrated away, NIC unplugged) or is no longer
 * marked. A fake bridge has no mirrors of its own: they live on its real bridge, limited to its VLAN.
 */
export function planMirrors(facts: MirrorFacts): string[][] {
  const steps: string[][] = [];
  const kept = new Set<string>();
  for (const m of facts.mirrors) {
    const want = facts.marked.find((p) => MIRROR_PREFIX + p.port === m.name);
    if (want && want.uuid === m.output && want.bridge === m.bridge) kept.add(want.port);
    else steps.push(['remove', 'bridge', m.bridge, 'mirrors', m.uuid]);
  }
  for (const p of facts.marked) {
    if (kept.has(p.port)) continue;
    steps.push([
      '--',
      '--id=@p',
      'get',
      'port',
      p.port,
      '--',
      '--id=@m',
      'create',
      'mirror',
      `name=${MIRROR_PREFIX}${p.port}`,
      'select_all=true',
      'output_port=@p',
      ...(p.tag ? [`select_vlan=${p.tag}`] : []),
      '--',
      'add',
      'bridge',
      p.bridge,
      'mirrors',
      '@m',
    ]);
  }
  return steps;
}

/** The facts from ovsdb's JSON tables (`list Interface/Port/Bridge/Mirror`). */
export function parseMirrorFacts(
  interfacesJson: string,
  portsJson: string,
  bridgesJson: string,
  mirrorsJson: string,
): MirrorFacts {
  const markedIfaces = new Set(
    rows(interfacesJson)
      .filter((r) => mapValue(r.external_ids, 'port-profile') === PORT_MIRRORING_PROFILE)
      .map((r) => String(r.name)),
  );
  const bridges = rows(bridgesJson).map((b) => ({
    name: String(b.name),
    ports: new Set(atoms(b.ports) as string[]),
    mirrors: new Set(atoms(b.mirrors) as string[]),
  }));
  const marked: MirrorFacts['marked'] = [];
  for (const r of rows(portsJson)) {
    const uuid = atom(r._uuid) as string;
    const bridge = bridges.find((b) => b.ports.has(uuid));
    if (!markedIfaces.has(String(r.name)) || !bridge) continue;
    const tag = atom(r.tag);
    marked.push({
      port: String(r.name),
      uuid,
      bridge: bridge.name,
      tag: typeof tag === 'number' ? tag : null,
    });
  }
  const mirrors: MirrorFacts['mirrors'] = [];
  for (const r of rows(mirrorsJson)) {
    const uuid = atom(r._uuid) as string;
    const bridge = bridges.find((b) => b.mirrors.has(uuid));
    if (!String(r.name).startsWith(MIRROR_PREFIX) || !bridge) continue;
    const output = atom(r.output_port);
    mirrors.push({
      uuid,
      name: String(r.name),
      bridge: bridge.name,
      output: typeof output === 'string' ? output : null,
    });
  }
  return { marked, mirrors };
}

/** Brings the host's mirrors in line with its marked ports; returns the commands it ran. */
export async function syncPortMirrors(vsctl: IpRunner): Promise<string[][]> {
  const list = (table: string, columns: string) =>
    vsctl.run([OVS_VSCTL_TIMEOUT, '--format=json', `--columns=${columns}`, 'list', table]);
  const [ifaces, ports, bridges, mirrors] = await Promise.all([
    list('Interface', 'name,external_ids'),
    list('Port', '_uuid,name,tag'),
    list('Bridge', 'name,ports,mirrors'),
    list('Mirror', '_uuid,name,output_port'),
  ]);
  const steps = planMirrors(parseMirrorFacts(ifaces, ports, bridges, mirrors));
  for (const s of steps) await vsctl.run([OVS_VSCTL_TIMEOUT, ...s]);
  return steps;
}
