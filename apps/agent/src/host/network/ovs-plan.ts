import type { BondSpec, NetworkAttachmentSpec } from '@kelpie/shared-types';
import { validateBonds } from './bond-checks';
import { isUplink, type LinkSnapshot } from './links';
import type { OvsBond, OvsBridge } from './ovs-state';
import { SetupRefused, type IpArgs } from './setup-plan';

/** One command of a setup: `ip` or `ovs-vsctl`, always an argument array. */
export type NetworkStep = { tool: 'ip' | 'ovs-vsctl'; args: string[] };

const ip = (...args: string[]): NetworkStep => ({ tool: 'ip', args });
const vsctl = (...args: string[]): NetworkStep => ({ tool: 'ovs-vsctl', args });
export const ipSteps = (cmds: IpArgs[]): NetworkStep[] => cmds.map((args) => ({ tool: 'ip', args }));

/** The real OVS bridge Kelpie keeps on a NIC; every OVS network on that NIC is a fake bridge of it. */
export function ovsUplinkOf(nic: string): string {
  return `ovs-${nic}`;
}

export const isOvs = (a: Pick<NetworkAttachmentSpec, 'switchType'>) => a.switchType === 'ovs';

export interface OvsPlanOptions {
  /** `netdev` (user space) or `system` (the kernel datapath) for bridges this setup creates. */
  datapathType: string;
  /** Rolling back: VM ports on a removed network do not stop it (they were not there before). */
  restore?: boolean;
  /** Linux bridges the same setup removes: a NIC still in one of them is about to be free. */
  released?: ReadonlySet<string>;
  /** The wanted bonds and the previous setup's (only OVS ones are looked at). */
  bonds?: readonly BondSpec[];
  previousBonds?: readonly BondSpec[];
}

/**
 * The `ovs-vsctl` (and `ip`, for MTU, addresses and link state) commands that make the host's OVS
 * networks the `wanted` ones: one real OVS bridge `ovs-<uplink>` per NIC or bond with the NIC (or the
 * bond port of its members) as its trunk port, each network a fake bridge named as the network's
 * bridge on its VLAN (0: untagged), so a VM port libvirt adds to it becomes an access port of that
 * VLAN. `previous` OVS networks not wanted any more are removed, and an uplink's OVS bridge with the
 * last of them. Removals come first so a NIC leaving one uplink (for a bond, or back out of one) is
 * free when the other takes it. Only OVS attachments and bonds are looked at.
 */
export function planOvsApply(
  wanted: readonly NetworkAttachmentSpec[],
  previous: readonly NetworkAttachmentSpec[],
  bridges: readonly OvsBridge[],
  now: LinkSnapshot,
  options: OvsPlanOptions,
): NetworkStep[] {
  const want = wanted.filter(isOvs);
  const prev = previous.filter(isOvs);
  const bonds = (options.bonds ?? []).filter(isOvs);
  const prevBonds = (options.previousBonds ?? []).filter(isOvs);
  if (!want.length && !prev.length && !bonds.length && !prevBonds.length) return [];
  const links = new Map(now.links.map((l) => [l.name, l]));
  const byName = new Map(bridges.map((b) => [b.name, b]));
  validate(want, bonds, now, options.released ?? new Set());
  const steps: NetworkStep[] = [];
  const vmPortsOf = (bridge: string) => byName.get(bridge)?.ports ?? [];
  const removed = prev.filter((p) => !want.some((w) => w.bridge === p.bridge));
  if (!options.restore)
    for (const r of removed)
      if (vmPortsOf(r.bridge).length)
        throw new SetupRefused(
          `network ${r.network} is still used by VM NIC(s) ${vmPortsOf(r.bridge).join(', ')} on bridge ${r.bridge}: detach them first`,
        );
  const isSame = (a: NetworkAttachmentSpec) => {
    const have = byName.get(a.bridge);
    return !!have && have.parent === ovsUplinkOf(a.nic) && have.vlanId === (a.vlanId ?? 0);
  };
  const moved = want.filter((a) => byName.has(a.bridge) && !isSame(a));
  if (!options.restore)
    for (const a of moved)
      if (vmPortsOf(a.bridge).length)
        throw new SetupRefused(
          `network ${a.network} moves to ${a.nic} VLAN ${a.vlanId ?? 0} while VM NIC(s) ${vmPortsOf(a.bridge).join(', ')} use it: detach them first`,
        );

  // 1. What goes away: networks, networks that move, uplinks nothing is carried on any more.
  for (const r of removed) if (byName.has(r.bridge)) steps.push(vsctl('--if-exists', 'del-br', r.bridge));
  for (const a of moved) steps.push(vsctl('del-br', a.bridge));
  const bondNames = new Set(bonds.map((b) => b.name));
  const uplinks = [...new Set([...bonds.map((b) => b.name), ...want.map((a) => a.nic)])];
  for (const old of new Set([...prev.map((p) => p.nic), ...prevBonds.map((b) => b.name)]))
    if (!uplinks.includes(old) && byName.has(ovsUplinkOf(old)))
      steps.push(vsctl('--if-exists', 'del-br', ovsUplinkOf(old)));

  // 2. Uplinks: a NIC as the trunk port of its OVS bridge, or a bond port of the members.
  const haveBond = (name: string) =>
    bridges
      .flatMap((b) => (b.bonds ?? []).map((x) => ({ ...x, bridge: b.name })))
      .find((x) => x.name === name);
  for (const uplink of uplinks) {
    const br = ovsUplinkOf(uplink);
    if (!byName.has(br))
      steps.push(vsctl('add-br', br, '--', 'set', 'bridge', br, `datapath_type=${options.datapathType}`));
    const bond = bonds.find((b) => b.name === uplink);
    if (!bond) {
      if (!byName.get(br)?.ports.includes(uplink)) steps.push(vsctl('--may-exist', 'add-port', br, uplink));
      continue;
    }
    const have = haveBond(bond.name);
    const members = [...bond.members].sort();
    const sameMembers = have?.bridge === br && have.members.join() === members.join();
    if (have && !sameMembers) steps.push(vsctl('--if-exists', 'del-port', bond.name));
    if (!sameMembers) {
      // A member still a port elsewhere (its own uplink of before, another bond) leaves it first.
      for (const m of bond.members)
        if (bridges.some((b) => b.ports.includes(m))) steps.push(vsctl('--if-exists', 'del-port', m));
      steps.push(vsctl('add-bond', br, bond.name, ...bond.members, ...bondColumns(bond)));
    } else if (have.mode !== bond.mode || !sameLacp(have, bond))
      steps.push(vsctl('set', 'port', bond.name, ...bondColumns(bond)));
  }
  for (const uplink of uplinks) {
    const carried = want.filter((a) => a.nic === uplink).map((a) => a.mtu);
    const mtu = carried.length ? Math.max(...carried) : null;
    for (const dev of bondNames.has(uplink) ? bonds.find((b) => b.name === uplink)!.members : [uplink]) {
      if (mtu !== null && links.get(dev)?.mtu !== mtu)
        steps.push(vsctl('set', 'interface', dev, `mtu_request=${mtu}`));
      if (!links.get(dev)?.up) steps.push(ip('link', 'set', dev, 'up'));
    }
  }

  // 3. Networks: one fake bridge each, on its uplink and VLAN.
  for (const a of want) {
    const same = isSame(a);
    if (!same) steps.push(vsctl('add-br', a.bridge, ovsUplinkOf(a.nic), String(a.vlanId ?? 0)));
    if (!same || links.get(a.bridge)?.mtu !== a.mtu)
      steps.push(vsctl('set', 'interface', a.bridge, `mtu_request=${a.mtu}`));
    // Addresses (management, storage networks) live on the fake bridge's internal port.
    if (a.addresses) {
      const had = same ? (links.get(a.bridge)?.addresses ?? []) : [];
      for (const addr of had)
        if (!a.addresses.includes(addr)) steps.push(ip('addr', 'del', addr, 'dev', a.bridge));
      for (const addr of a.addresses)
        if (!had.includes(addr)) steps.push(ip('addr', 'add', addr, 'dev', a.bridge));
      if (a.addresses.length && !(same && links.get(a.bridge)?.up))
        steps.push(ip('link', 'set', a.bridge, 'up'));
    }
    if (a.gateway) steps.push(ip('route', 'replace', 'default', 'via', a.gateway, 'dev', a.bridge));
  }
  return steps;
}

/** The bond port's columns: mode, LACP and its rate. With LACP on, a partner that does not speak it
 * leaves the bond in active-backup (`lacp-fallback-ab`) instead of disabling every member, which
 * would cut the host off. */
function bondColumns(bond: BondSpec): string[] {
  const lacp = bond.lacp ?? 'off';
  const cols = [
    `bond_mode=${bond.mode}`,
    `lacp=${lacp}`,
    `other_config:lacp-time=${bond.lacpRate ?? 'slow'}`,
  ];
  if (lacp !== 'off') cols.push('other_config:lacp-fallback-ab=true');
  return cols;
}

const sameLacp = (have: OvsBond, want: BondSpec) =>
  (have.lacp ?? 'off') === (want.lacp ?? 'off') && (have.lacpRate ?? 'slow') === (want.lacpRate ?? 'slow');

function validate(
  want: readonly NetworkAttachmentSpec[],
  bonds: readonly BondSpec[],
  now: LinkSnapshot,
  released: ReadonlySet<string>,
): void {
  const links = new Map(now.links.map((l) => [l.name, l]));
  validateBonds(bonds, want, links, released);
  const seen = new Map<string, string>();
  for (const a of want) {
    if (bonds.some((b) => b.name === a.nic)) {
      checkNames(a, want, seen);
      continue;
    }
    const nic = links.get(a.nic);
    if (!nic) throw new SetupRefused(`network ${a.network}: NIC ${a.nic} does not exist on this host`);
    if (!isUplink(nic) || nic.kind === 'vlan')
      throw new SetupRefused(`network ${a.network}: ${a.nic} is a ${nic.kind} device, not a NIC or bond`);
    if (nic.master && !released.has(nic.master))
      throw new SetupRefused(`network ${a.network}: ${a.nic} is a port of Linux bridge ${nic.master}`);
    checkNames(a, want, seen);
  }
}

/** Names an OVS network takes: its uplink's bridge name fits, its bridge and VLAN are its own. */
function checkNames(
  a: NetworkAttachmentSpec,
  want: readonly NetworkAttachmentSpec[],
  seen: Map<string, string>,
): void {
  if (ovsUplinkOf(a.nic).length > 15)
    throw new SetupRefused(
      `network ${a.network}: OVS bridge name ${ovsUplinkOf(a.nic)} is longer than 15 characters`,
    );
  if (want.some((o) => ovsUplinkOf(o.nic) === a.bridge))
    throw new SetupRefused(`network ${a.network}: bridge name ${a.bridge} is the OVS bridge of a NIC`);
  for (const [key, what] of [
    [`bridge:${a.bridge}`, `bridge ${a.bridge}`],
    [
      `vlan:${a.nic}:${a.vlanId ?? 0}`,
      a.vlanId ? `VLAN ${a.vlanId} on ${a.nic}` : `the untagged side of ${a.nic}`,
    ],
  ] as const) {
    const other = seen.get(key);
    if (other) throw new SetupRefused(`networks ${other} and ${a.network} both want ${what}`);
    seen.set(key, a.network);
  }
}
