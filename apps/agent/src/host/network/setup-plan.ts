import type { BondSpec, NetworkAttachmentSpec } from '@kelpie/shared-types';
import { validateBonds } from './bond-checks';
import { isUplink, type Link, type LinkSnapshot } from './links';
import { SetupRefused } from './setup-refused';

export { SetupRefused } from './setup-refused';

export type IpArgs = string[];

/** The device a network's bridge is plugged into: the NIC itself, or its VLAN device `<nic>.<id>`. */
export function portOf(a: Pick<NetworkAttachmentSpec, 'nic' | 'vlanId'>): string {
  return a.vlanId ? `${a.nic}.${a.vlanId}` : a.nic;
}

/** The commands that turn the host's links (`now`) into the wanted set of networks. `previous` is what
 * an earlier setup applied: its networks that are no longer wanted lose their bridge. Links Kelpie
 * does not manage are left alone, except the bridge ports a wanted network replaces. */
export function planApply(
  wanted: readonly NetworkAttachmentSpec[],
  previous: readonly NetworkAttachmentSpec[],
  now: LinkSnapshot,
  bonds: readonly BondSpec[] = [],
  previousBonds: readonly BondSpec[] = [],
): IpArgs[] {
  const links = new Map(now.links.map((l) => [l.name, l]));
  const goneBonds = previousBonds.filter((p) => !bonds.some((b) => b.name === p.name) && links.has(p.name));
  validateBonds(bonds, wanted, links, new Set(goneBonds.map((b) => b.name)));
  validate(wanted, links, bonds);
  const removed = previous.filter((p) => !wanted.some((w) => w.bridge === p.bridge));
  for (const r of removed) {
    const taps = portsOf(now.links, r.bridge).filter((l) => !isUplink(l));
    if (taps.length)
      throw new SetupRefused(
        `network ${r.network} is still used by VM NIC(s) ${taps.map((t) => t.name).join(', ')} on bridge ${r.bridge}: detach them first`,
      );
  }
  const cmds: IpArgs[] = planBonds(bonds, goneBonds, links);
  const wantedPorts = new Set(wanted.map(portOf));

  // Links first (VLAN devices on their NIC, bridges), then MTU from the NIC up, so no port is ever
  // smaller than what it carries.
  for (const a of wanted) {
    const port = portOf(a);
    if (a.vlanId && !links.has(port))
      cmds.push(['link', 'add', 'link', a.nic, 'name', port, 'type', 'vlan', 'id', String(a.vlanId)]);
    if (!links.has(a.bridge)) cmds.push(['link', 'add', a.bridge, 'type', 'bridge']);
  }
  const nicMtu = new Map<string, number>();
  for (const a of wanted) nicMtu.set(a.nic, Math.max(nicMtu.get(a.nic) ?? 0, a.mtu));
  for (const [nic, mtu] of nicMtu) if (links.get(nic)?.mtu !== mtu) cmds.push(mtuCmd(nic, mtu));
  for (const a of wanted) {
    const port = portOf(a);
    if (a.vlanId && links.get(port)?.mtu !== a.mtu) cmds.push(mtuCmd(port, a.mtu));
  }

  // Uplinks the bridge no longer has leave it before the wanted one joins (one uplink per bridge).
  for (const a of wanted) {
    const port = portOf(a);
    for (const other of portsOf(now.links, a.bridge))
      if (isUplink(other) && other.name !== port && !wantedPorts.has(other.name))
        cmds.push(['link', 'set', other.name, 'nomaster']);
    if (links.get(port)?.master !== a.bridge) cmds.push(['link', 'set', port, 'master', a.bridge]);
  }
  for (const a of wanted) {
    if (links.get(a.bridge)?.mtu !== a.mtu) cmds.push(mtuCmd(a.bridge, a.mtu));
    // Running VMs' taps follow their bridge (new taps get the bridge's MTU from libvirt).
    for (const tap of portsOf(now.links, a.bridge))
      if (!isUplink(tap) && tap.mtu !== a.mtu) cmds.push(mtuCmd(tap.name, a.mtu));
  }

  // Addresses live on the bridge, never on its port.
  for (const a of wanted) {
    for (const addr of links.get(portOf(a))?.addresses ?? [])
      cmds.push(['addr', 'del', addr, 'dev', portOf(a)]);
    if (a.addresses) {
      const have = links.get(a.bridge)?.addresses ?? [];
      for (const addr of have)
        if (!a.addresses.includes(addr)) cmds.push(['addr', 'del', addr, 'dev', a.bridge]);
      for (const addr of a.addresses)
        if (!have.includes(addr)) cmds.push(['addr', 'add', addr, 'dev', a.bridge]);
    }
  }
  for (const a of wanted) {
    for (const name of new Set([a.nic, portOf(a), a.bridge]))
      if (!links.get(name)?.up) cmds.push(['link', 'set', name, 'up']);
  }
  for (const a of wanted)
    if (a.gateway) cmds.push(['route', 'replace', 'default', 'via', a.gateway, 'dev', a.bridge]);

  for (const r of removed) {
    for (const port of portsOf(now.links, r.bridge))
      if (!wantedPorts.has(port.name) && !goneBonds.some((b) => b.name === port.name))
        cmds.push(['link', 'set', port.name, 'nomaster']);
    if (r.vlanId && !wantedPorts.has(portOf(r)) && links.has(portOf(r)))
      cmds.push(['link', 'del', portOf(r)]);
    if (links.has(r.bridge)) cmds.push(['link', 'del', r.bridge]);
  }
  return cmds;
}

/** Linux bonds first, so networks can go on them: bonds no longer wanted are deleted (their members
 * fall free), new ones made in their mode, a changed mode set while the bond is down (the driver
 * refuses it otherwise), members enslaved while down (likewise) and the others released. */
function planBonds(
  bonds: readonly BondSpec[],
  gone: readonly BondSpec[],
  links: Map<string, Link>,
): IpArgs[] {
  const cmds: IpArgs[] = gone.map((b) => ['link', 'del', b.name]);
  for (const b of bonds.filter((x) => x.switchType !== 'ovs')) {
    const have = links.get(b.name);
    if (!have) cmds.push(['link', 'add', b.name, 'type', 'bond', 'mode', b.mode]);
    else if (have.bondMode !== b.mode)
      cmds.push(['link', 'set', b.name, 'down'], ['link', 'set', b.name, 'type', 'bond', 'mode', b.mode]);
    for (const l of links.values())
      if (l.master === b.name && !b.members.includes(l.name)) cmds.push(['link', 'set', l.name, 'nomaster']);
    for (const m of b.members)
      if (links.get(m)?.master !== b.name)
        cmds.push(['link', 'set', m, 'down'], ['link', 'set', m, 'master', b.name], ['link', 'set', m, 'up']);
    if (!have?.up || have.bondMode !== b.mode) cmds.push(['link', 'set', b.name, 'up']);
  }
  return cmds;
}

/** The commands that bring the links named in `touched` (and the default routes) back to `before`:
 * links the setup made are deleted, links it deleted are made again, then masters, MTU, addresses
 * and up/down are set as they were. */
export function planRestore(before: LinkSnapshot, now: LinkSnapshot, touched: ReadonlySet<string>): IpArgs[] {
  const was = new Map(before.links.map((l) => [l.name, l]));
  const is = new Map(now.links.map((l) => [l.name, l]));
  const names = new Set(touched);
  // Every port a touched bridge had or has: a port the setup moved away must come back.
  for (const l of [...before.links, ...now.links]) if (l.master && touched.has(l.master)) names.add(l.name);
  const cmds: IpArgs[] = [];
  for (const name of names) {
    const n = is.get(name);
    if (n && !was.has(name) && (n.kind === 'bridge' || n.kind === 'vlan' || n.kind === 'bond'))
      cmds.push(['link', 'del', name]);
  }
  for (const name of names) {
    const b = was.get(name);
    if (!b || is.has(name)) continue;
    if (b.kind === 'bridge') cmds.push(['link', 'add', name, 'type', 'bridge']);
    else if (b.kind === 'bond')
      cmds.push(['link', 'add', name, 'type', 'bond', ...(b.bondMode ? ['mode', b.bondMode] : [])]);
    else if (b.kind === 'vlan' && b.vlan)
      cmds.push([
        'link',
        'add',
        'link',
        b.vlan.parent,
        'name',
        name,
        'type',
        'vlan',
        'id',
        String(b.vlan.id),
      ]);
  }
  const restored = [...names].map((n) => was.get(n)).filter((b): b is Link => !!b);
  const current = (b: Link): Link =>
    is.get(b.name) ?? { ...b, master: null, mtu: 1500, up: false, addresses: [] };
  for (const b of restored)
    if (!b.master && current(b).master) cmds.push(['link', 'set', b.name, 'nomaster']);
  // MTU of ports before bridges: a bridge never exceeds what it had when its ports come back.
  const byPortsFirst = [...restored].sort(
    (x, y) => Number(x.kind === 'bridge') - Number(y.kind === 'bridge'),
  );
  for (const b of byPortsFirst) if (current(b).mtu !== b.mtu) cmds.push(mtuCmd(b.name, b.mtu));
  for (const b of restored)
    if (b.master && current(b).master !== b.master) cmds.push(['link', 'set', b.name, 'master', b.master]);
  for (const b of restored) {
    const have = current(b).addresses;
    for (const addr of have) if (!b.addresses.includes(addr)) cmds.push(['addr', 'del', addr, 'dev', b.name]);
    for (const addr of b.addresses) if (!have.includes(addr)) cmds.push(['addr', 'add', addr, 'dev', b.name]);
  }
  for (const b of restored)
    if (b.up !== current(b).up) cmds.push(['link', 'set', b.name, b.up ? 'up' : 'down']);
  for (const r of before.routes)
    if (!now.routes.some((x) => x.gateway === r.gateway && x.dev === r.dev))
      cmds.push(['route', 'replace', 'default', 'via', r.gateway, 'dev', r.dev]);
  return cmds;
}

/** Names a setup may change: its networks' bridges, ports and NICs, its bonds and their members,
 * wanted or previous. */
export function touchedBy(
  sets: (readonly NetworkAttachmentSpec[])[],
  bonds: (readonly BondSpec[])[] = [],
): Set<string> {
  const names = new Set<string>();
  for (const a of sets.flat()) for (const n of [a.bridge, a.nic, portOf(a)]) names.add(n);
  for (const b of bonds.flat()) for (const n of [b.name, ...b.members]) names.add(n);
  return names;
}

function validate(
  wanted: readonly NetworkAttachmentSpec[],
  links: Map<string, Link>,
  bonds: readonly BondSpec[],
): void {
  const seen = new Map<string, string>();
  let gateways = 0;
  for (const a of wanted) {
    const nic = links.get(a.nic) ?? (bonds.some((b) => b.name === a.nic) ? bondLink(a.nic) : undefined);
    if (!nic) throw new SetupRefused(`network ${a.network}: NIC ${a.nic} does not exist on this host`);
    if (!isUplink(nic) || nic.kind === 'vlan')
      throw new SetupRefused(`network ${a.network}: ${a.nic} is a ${nic.kind} device, not a NIC or bond`);
    if (portOf(a).length > 15)
      throw new SetupRefused(
        `network ${a.network}: VLAN device name ${portOf(a)} is longer than 15 characters`,
      );
    const bridge = links.get(a.bridge);
    if (bridge && bridge.kind !== 'bridge')
      throw new SetupRefused(`network ${a.network}: ${a.bridge} exists and is not a bridge`);
    for (const [key, what] of [
      [`bridge:${a.bridge}`, `bridge ${a.bridge}`],
      [`port:${portOf(a)}`, a.vlanId ? `VLAN ${a.vlanId} on ${a.nic}` : `the untagged side of ${a.nic}`],
    ] as const) {
      const other = seen.get(key);
      if (other) throw new SetupRefused(`networks ${other} and ${a.network} both want ${what}`);
      seen.set(key, a.network);
    }
    if (a.gateway) gateways++;
  }
  if (gateways > 1) throw new SetupRefused('only one network may carry the default gateway');
}

/** A bond the same setup makes: stands for its link while planning. */
function bondLink(name: string): Link {
  return {
    name,
    kind: 'bond',
    master: null,
    mtu: 1500,
    mac: null,
    up: false,
    carrier: false,
    operstate: 'down',
    vlan: null,
    addresses: [],
  };
}

function portsOf(links: readonly Link[], bridge: string): Link[] {
  return links.filter((l) => l.master === bridge);
}

function mtuCmd(name: string, mtu: number): IpArgs {
  return ['link', 'set', name, 'mtu', String(mtu)];
}
