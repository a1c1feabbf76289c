import type { NetworkAttachmentSpec } from '@kelpie/shared-types';
import { isUplink, type LinkSnapshot } from './links';
import type { OvsBridge } from './ovs-state';
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
}

/**
 * The `ovs-vsctl` (and `ip`, for MTU, addresses and link state) commands that make the host's OVS
 * networks the `wanted` ones: one real OVS bridge `ovs-<nic>` per NIC with the NIC as its trunk port,
 * each network a fake bridge named as the network's bridge on its VLAN (0: untagged), so a VM port
 * libvirt adds to it becomes an access port of that VLAN. `previous` OVS networks not wanted any more
 * are removed, and the NIC's OVS bridge with the last of them. Only OVS attachments are looked at.
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
  if (want.length === 0 && prev.length === 0) return [];
  const links = new Map(now.links.map((l) => [l.name, l]));
  const byName = new Map(bridges.map((b) => [b.name, b]));
  validate(want, now, options.released ?? new Set());
  const steps: NetworkStep[] = [];
  const vmPortsOf = (bridge: string) => byName.get(bridge)?.ports ?? [];
  const removed = prev.filter((p) => !want.some((w) => w.bridge === p.bridge));
  if (!options.restore)
    for (const r of removed)
      if (vmPortsOf(r.bridge).length)
        throw new SetupRefused(
          `network ${r.network} is still used by VM NIC(s) ${vmPortsOf(r.bridge).join(', ')} on bridge ${r.bridge}: detach them first`,
        );

  const nics = [...new Set(want.map((a) => a.nic))];
  for (const nic of nics) {
    const uplink = ovsUplinkOf(nic);
    if (!byName.has(uplink))
      steps.push(
        vsctl('add-br', uplink, '--', 'set', 'bridge', uplink, `datapath_type=${options.datapathType}`),
      );
    if (!byName.get(uplink)?.ports.includes(nic)) steps.push(vsctl('--may-exist', 'add-port', uplink, nic));
    const mtu = Math.max(...want.filter((a) => a.nic === nic).map((a) => a.mtu));
    if (links.get(nic)?.mtu !== mtu) steps.push(vsctl('set', 'interface', nic, `mtu_request=${mtu}`));
    if (!links.get(nic)?.up) steps.push(ip('link', 'set', nic, 'up'));
  }
  for (const a of want) {
    const uplink = ovsUplinkOf(a.nic);
    const vlan = a.vlanId ?? 0;
    const have = byName.get(a.bridge);
    const same = have && have.parent === uplink && have.vlanId === vlan;
    if (have && !same) {
      if (vmPortsOf(a.bridge).length && !options.restore)
        throw new SetupRefused(
          `network ${a.network} moves to ${a.nic} VLAN ${vlan} while VM NIC(s) ${vmPortsOf(a.bridge).join(', ')} use it: detach them first`,
        );
      steps.push(vsctl('del-br', a.bridge));
    }
    if (!same) steps.push(vsctl('add-br', a.bridge, uplink, String(vlan)));
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
  for (const r of removed) if (byName.has(r.bridge)) steps.push(vsctl('--if-exists', 'del-br', r.bridge));
  for (const nic of new Set(prev.map((p) => p.nic)))
    if (!nics.includes(nic) && byName.has(ovsUplinkOf(nic)))
      steps.push(vsctl('--if-exists', 'del-br', ovsUplinkOf(nic)));
  return steps;
}

function validate(
  want: readonly NetworkAttachmentSpec[],
  now: LinkSnapshot,
  released: ReadonlySet<string>,
): void {
  const links = new Map(now.links.map((l) => [l.name, l]));
  const seen = new Map<string, string>();
  for (const a of want) {
    const nic = links.get(a.nic);
    if (!nic) throw new SetupRefused(`network ${a.network}: NIC ${a.nic} does not exist on this host`);
    if (!isUplink(nic) || nic.kind === 'vlan')
      throw new SetupRefused(`network ${a.network}: ${a.nic} is a ${nic.kind} device, not a NIC or bond`);
    if (nic.master && !released.has(nic.master))
      throw new SetupRefused(`network ${a.network}: ${a.nic} is a port of Linux bridge ${nic.master}`);
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
}
