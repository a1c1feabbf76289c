import {
  LINUX_BOND_MODES,
  NetworkSwitch,
  OVS_BOND_MODES,
  type HostNetworkSetupAttachment,
  type HostNetworkSetupBond,
} from '@kelpie/shared-types';

export type FieldError = { field: string; reason: string };

/**
 * What is wrong with a setup's bonds, per field, before anything reaches the host: a mode the
 * cluster's switch type lacks, a member the host did not report (once it reported at all), a member
 * twice or in two bonds, a member that also carries a network, a bond named as a host NIC, LACP
 * settings the bond cannot have.
 */
export function bondErrors(
  bonds: readonly HostNetworkSetupBond[],
  attachments: readonly HostNetworkSetupAttachment[],
  switchType: NetworkSwitch,
  reportedNics: ReadonlySet<string> | null,
): FieldError[] {
  const errors: FieldError[] = [];
  const modes: readonly string[] = switchType === 'ovs' ? OVS_BOND_MODES : LINUX_BOND_MODES;
  const owner = new Map<string, string>();
  const names = new Set<string>();
  bonds.forEach((b, i) => {
    const at = `bonds[${i}]`;
    if (names.has(b.name)) errors.push({ field: `${at}.name`, reason: `bond ${b.name} is listed twice` });
    names.add(b.name);
    // A Linux bond the host already has is reported as a NIC: that is the same bond, not a clash.
    if (switchType === 'ovs' && reportedNics?.has(b.name))
      errors.push({ field: `${at}.name`, reason: `the host has a NIC named ${b.name}` });
    if (!modes.includes(b.mode))
      errors.push({
        field: `${at}.mode`,
        reason: `${b.mode} is not a bond mode of ${switchType} (${modes.join(', ')})`,
      });
    errors.push(...lacpErrors(b, at, switchType));
    b.members.forEach((m, j) => {
      const field = `${at}.members[${j}]`;
      if (reportedNics && !reportedNics.has(m)) errors.push({ field, reason: `the host has no NIC ${m}` });
      const other = owner.get(m);
      if (other !== undefined)
        errors.push({
          field,
          reason: other === b.name ? `${m} is listed twice` : `${m} is already a member of bond ${other}`,
        });
      owner.set(m, b.name);
      if (attachments.some((a) => a.nic === m))
        errors.push({ field, reason: `${m} carries a network of this setup: put the network on ${b.name}` });
    });
  });
  return errors;
}

/** LACP is an Open vSwitch bond setting here (Linux bonds negotiate it by mode 802.3ad); balance-tcp
 * hashes flows over members only the partner agreed to, so it needs LACP; a rate needs LACP on. */
function lacpErrors(b: HostNetworkSetupBond, at: string, switchType: NetworkSwitch): FieldError[] {
  const lacp = b.lacp ?? 'off';
  if (switchType !== 'ovs') {
    const set = (['lacp', 'lacpRate'] as const).filter((k) => b[k] !== undefined && b[k] !== 'off');
    return set.map((k) => ({
      field: `${at}.${k}`,
      reason: `${k} is for Open vSwitch bonds: a Linux bond negotiates LACP with mode 802.3ad`,
    }));
  }
  if (b.mode === 'balance-tcp' && lacp === 'off')
    return [{ field: `${at}.lacp`, reason: 'balance-tcp needs LACP: set lacp to active or passive' }];
  if (b.lacpRate !== undefined && lacp === 'off')
    return [{ field: `${at}.lacpRate`, reason: 'lacpRate needs lacp active or passive' }];
  return [];
}
