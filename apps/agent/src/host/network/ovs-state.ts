import type { IpRunner } from './ip-runner';

/** One Open vSwitch bridge as the host's ovsdb describes it. A fake bridge (`ovs-vsctl add-br NAME
 * PARENT VLAN`) is a VLAN of its real `parent`: its ports are the parent's ports with that tag. */
export interface OvsBridge {
  name: string;
  /** null: a real bridge. */
  parent: string | null;
  /** A fake bridge's VLAN (0: untagged); null for a real bridge. */
  vlanId: number | null;
  /** Ports other than the bridge's own internal port (NICs, bonds, VM taps). */
  ports: string[];
  /** Ports of several interfaces (`ovs-vsctl add-bond`), with their interfaces and `bond_mode`. */
  bonds?: OvsBond[];
}

export interface OvsBond {
  name: string;
  members: string[];
  mode: string | null;
  /** The port's `lacp` column and `other_config:lacp-time` (null: not set, i.e. off / slow). */
  lacp: string | null;
  lacpRate: string | null;
}

export type Cell = unknown;
interface OvsTable {
  headings: string[];
  data: Cell[][];
}

/** `ovs-vsctl` with a bounded wait: a host without a running ovsdb answers at once with an error. */
export const OVS_VSCTL_TIMEOUT = '--timeout=10';

/** The host's OVS bridges; null when Open vSwitch is not installed or not running here. */
export async function readOvsBridges(vsctl: IpRunner): Promise<OvsBridge[] | null> {
  try {
    const [bridges, ports, interfaces] = await Promise.all([
      vsctl.run([OVS_VSCTL_TIMEOUT, '--format=json', '--columns=name,ports', 'list', 'Bridge']),
      vsctl.run([
        OVS_VSCTL_TIMEOUT,
        '--format=json',
        '--columns=_uuid,name,tag,fake_bridge,interfaces,bond_mode,lacp,other_config',
        'list',
        'Port',
      ]),
      vsctl.run([OVS_VSCTL_TIMEOUT, '--format=json', '--columns=_uuid,name', 'list', 'Interface']),
    ]);
    return parseOvsBridges(bridges, ports, interfaces);
  } catch {
    return null;
  }
}

/** Bridges from `list Bridge` and `list Port` in ovsdb's JSON: a port with a tag belongs to the
 * parent's fake bridge of that VLAN when there is one (as ovs-vsctl itself decides). */
export function parseOvsBridges(
  bridgesJson: string,
  portsJson: string,
  interfacesJson?: string,
): OvsBridge[] {
  const ifaceNames = new Map(
    interfacesJson ? rows(interfacesJson).map((r) => [atom(r._uuid) as string, String(r.name)]) : [],
  );
  const portRows = rows(portsJson).map((r) => ({
    uuid: atom(r._uuid) as string,
    name: String(r.name),
    tag: typeof atom(r.tag) === 'number' ? (atom(r.tag) as number) : null,
    fake: r.fake_bridge === true,
    interfaces:
      r.interfaces === undefined ? [] : atoms(r.interfaces).map((u) => ifaceNames.get(u as string) ?? '?'),
    bondMode: typeof atom(r.bond_mode) === 'string' ? (atom(r.bond_mode) as string) : null,
    lacp: typeof atom(r.lacp) === 'string' ? (atom(r.lacp) as string) : null,
    lacpRate: mapValue(r.other_config, 'lacp-time'),
  }));
  const byUuid = new Map(portRows.map((p) => [p.uuid, p]));
  const result: OvsBridge[] = [];
  for (const b of rows(bridgesJson)) {
    const name = String(b.name);
    const ports = atoms(b.ports)
      .map((u) => byUuid.get(u as string))
      .filter((p) => !!p);
    const fakes = ports.filter((p) => p.fake);
    const owner = (tag: number | null) => (tag === null ? undefined : fakes.find((f) => f.tag === tag));
    const members = ports.filter((p) => !p.fake && p.name !== name);
    result.push({
      name,
      parent: null,
      vlanId: null,
      ports: members.filter((p) => !owner(p.tag)).map((p) => p.name),
      bonds: members
        .filter((p) => p.interfaces.length > 1)
        .map((p) => ({
          name: p.name,
          members: [...p.interfaces].sort(),
          mode: p.bondMode,
          lacp: p.lacp,
          lacpRate: p.lacpRate,
        })),
    });
    for (const f of fakes)
      result.push({
        name: f.name,
        parent: name,
        vlanId: f.tag ?? 0,
        ports: members.filter((p) => owner(p.tag) === f).map((p) => p.name),
      });
  }
  return result;
}

export function rows(json: string): Record<string, Cell>[] {
  const table = JSON.parse(json || '{"headings":[],"data":[]}') as OvsTable;
  return table.data.map((row) => Object.fromEntries(table.headings.map((h, i) => [h, row[i]])));
}

/** ovsdb JSON: `["uuid", x]` is one reference, `["set", [...]]` a set (an empty one: no value). */
export function atom(cell: Cell): unknown {
  if (Array.isArray(cell) && cell[0] === 'uuid') return cell[1];
  if (Array.isArray(cell) && cell[0] === 'set')
    return (cell[1] as Cell[]).length ? atom((cell[1] as Cell[])[0]) : null;
  return cell;
}

/** ovsdb JSON: `["map", [[key, value], ...]]`. */
export function mapValue(cell: Cell, key: string): string | null {
  if (!Array.isArray(cell) || cell[0] !== 'map') return null;
  const pair = (cell[1] as [unknown, unknown][]).find(([k]) => k === key);
  return typeof pair?.[1] === 'string' ? pair[1] : null;
}

export function atoms(cell: Cell): unknown[] {
  if (Array.isArray(cell) && cell[0] === 'set') return (cell[1] as Cell[]).map(atom);
  return [atom(cell)];
}

/** `ovs-vsctl br-exists` (real or fake bridge): false also when OVS does not run on this host. */
export async function ovsBridgeExists(vsctl: IpRunner, name: string): Promise<boolean> {
  return vsctl.run([OVS_VSCTL_TIMEOUT, 'br-exists', name]).then(
    () => true,
    () => false,
  );
}
