import {
  LINUX_BOND_MODES,
  OVS_BOND_MODES,
  type BondSpec,
  type NetworkAttachmentSpec,
} from '@kelpie/shared-types';
import { isUplink, type Link } from './links';
import { SetupRefused } from './setup-refused';

/**
 * What makes a set of bonds impossible, before any command: a member that is not a NIC of this host,
 * or is in a Linux bridge the setup keeps, or is in two bonds, or carries a network itself; a mode
 * the switch type does not have; a bond named as an existing link that is not that bond.
 */
export function validateBonds(
  bonds: readonly BondSpec[],
  networks: readonly NetworkAttachmentSpec[],
  links: ReadonlyMap<string, Link>,
  released: ReadonlySet<string> = new Set(),
): void {
  const owner = new Map<string, string>();
  for (const b of bonds) {
    const modes: readonly string[] = b.switchType === 'ovs' ? OVS_BOND_MODES : LINUX_BOND_MODES;
    if (!modes.includes(b.mode))
      throw new SetupRefused(`bond ${b.name}: mode ${b.mode} is not one of ${modes.join(', ')}`);
    const lacp = b.lacp ?? 'off';
    if (b.switchType !== 'ovs' && (lacp !== 'off' || b.lacpRate))
      throw new SetupRefused(`bond ${b.name}: LACP settings are for Open vSwitch bonds (use mode 802.3ad)`);
    if (b.mode === 'balance-tcp' && lacp === 'off')
      throw new SetupRefused(`bond ${b.name}: balance-tcp needs LACP active or passive`);
    const existing = links.get(b.name);
    if (existing && existing.kind !== 'bond')
      throw new SetupRefused(`bond ${b.name}: a ${existing.kind ?? 'NIC'} of that name exists on this host`);
    if (new Set(b.members).size < 2) throw new SetupRefused(`bond ${b.name}: needs two different NICs`);
    for (const m of b.members) {
      const nic = links.get(m);
      if (!nic) throw new SetupRefused(`bond ${b.name}: NIC ${m} does not exist on this host`);
      if (!isUplink(nic) || nic.kind === 'vlan' || nic.kind === 'bond')
        throw new SetupRefused(`bond ${b.name}: ${m} is a ${nic.kind} device, not a NIC`);
      if (nic.master && nic.master !== b.name && !released.has(nic.master) && !isBond(bonds, nic.master))
        throw new SetupRefused(`bond ${b.name}: ${m} is a port of ${nic.master}`);
      const other = owner.get(m);
      if (other) throw new SetupRefused(`bonds ${other} and ${b.name} both want ${m}`);
      owner.set(m, b.name);
      const carried = networks.find((a) => a.nic === m);
      if (carried)
        throw new SetupRefused(`network ${carried.network} is on ${m}, which is a member of bond ${b.name}`);
    }
  }
}

const isBond = (bonds: readonly BondSpec[], name: string) => bonds.some((b) => b.name === name);
