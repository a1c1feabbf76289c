/** One link as `ip -j -d addr show` and `ip -j route show default` describe it: the facts the setup
 * plans from and a rollback restores. */
export interface Link {
  name: string;
  /** `linkinfo.info_kind`: bridge, vlan, tun (VM taps), veth, bond…; null for a physical NIC. */
  kind: string | null;
  master: string | null;
  mtu: number;
  mac: string | null;
  up: boolean;
  carrier: boolean;
  operstate: string;
  /** A VLAN device's parent and tag (`ip -d`): what a rollback needs to make it again. */
  vlan: { parent: string; id: number } | null;
  /** A bonding device's mode (`ip -d`): what a rollback needs to make it again. */
  bondMode?: string | null;
  /** Global-scope addresses with prefix (`192.0.2.10/24`); link-local ones are the kernel's own. */
  addresses: string[];
}

export interface DefaultRoute {
  gateway: string;
  dev: string;
}

/** What the host's links and default routes were at one moment (a rollback point). */
export interface LinkSnapshot {
  links: Link[];
  routes: DefaultRoute[];
}

/** Kinds of link that carry a network to the outside (a bridge's uplink): NICs, VLAN devices, bonds,
 * and veth (the lab's and containers' NICs). VM taps (tun, macvtap) and bridges are not. */
export function isUplink(link: Link): boolean {
  return link.kind === null || ['vlan', 'bond', 'veth'].includes(link.kind);
}

/** A host NIC as the portal lists it: an uplink that is not a VLAN device on another NIC. */
export function isNic(link: Link): boolean {
  return link.name !== 'lo' && (link.kind === null || link.kind === 'veth' || link.kind === 'bond');
}

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
}

interface IpLink {
  ifname: string;
  flags?: string[];
  mtu?: number;
  master?: string;
  operstate?: string;
  link_type?: string;
  address?: string;
  link?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; mode?: string } };
  addr_info?: IpAddrInfo[];
}

export function parseLinks(json: string): Link[] {
  const raw = JSON.parse(json || '[]') as IpLink[];
  return raw.map((l) => ({
    name: l.ifname,
    kind: l.linkinfo?.info_kind ?? null,
    master: l.master ?? null,
    mtu: l.mtu ?? 1500,
    mac: l.link_type === 'ether' && l.address ? l.address : null,
    up: (l.flags ?? []).includes('UP'),
    carrier: (l.flags ?? []).includes('LOWER_UP'),
    vlan:
      l.linkinfo?.info_kind === 'vlan' && l.link && l.linkinfo.info_data?.id !== undefined
        ? { parent: l.link, id: l.linkinfo.info_data.id }
        : null,
    ...(l.linkinfo?.info_kind === 'bond' ? { bondMode: l.linkinfo.info_data?.mode ?? null } : {}),
    operstate: (l.operstate ?? 'UNKNOWN').toLowerCase(),
    addresses: (l.addr_info ?? [])
      .filter((a) => a.scope === 'global' && a.local && a.prefixlen !== undefined)
      .map((a) => `${a.local}/${a.prefixlen}`),
  }));
}

export function parseDefaultRoutes(json: string): DefaultRoute[] {
  const raw = JSON.parse(json || '[]') as { dst?: string; gateway?: string; dev?: string }[];
  return raw
    .filter((r) => r.dst === 'default' && r.gateway && r.dev)
    .map((r) => ({ gateway: r.gateway!, dev: r.dev! }));
}
