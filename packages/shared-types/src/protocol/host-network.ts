import { z } from 'zod';

/** Host networking as the agent sees it and as the engine asks for it: Linux bridges, and Open vSwitch
 * (one OVS bridge per NIC, each network a fake bridge of it on its VLAN). */

/** How a network is carried on the host (the cluster's switch type). */
export const NetworkSwitch = z.enum(['linux_bridge', 'ovs']);
export type NetworkSwitch = z.infer<typeof NetworkSwitch>;

/** A link name as the kernel accepts it (IFNAMSIZ - 1). */
export const LINK_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,15}$/;
/** An IPv4 or IPv6 address with its prefix length, e.g. 192.0.2.10/24. */
export const ADDRESS_CIDR_PATTERN = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:]+\/\d{1,3})$/;
export const GATEWAY_PATTERN = /^[0-9A-Fa-f:.]{2,45}$/;

export const LinkName = z.string().regex(LINK_NAME_PATTERN, '1-15 letters, digits, "_", ".", ":" or "-"');
export const AddressCidr = z
  .string()
  .regex(ADDRESS_CIDR_PATTERN, 'an address with its prefix, e.g. 192.0.2.10/24');

export const HostNic = z.object({
  name: z.string(),
  mac: z.string().nullable(),
  /** Operational state as the kernel reports it (up, down, lowerlayerdown, unknown…). */
  state: z.string(),
  /** Carrier present (the cable is in, the peer is up). */
  carrier: z.boolean(),
  /** Mbit/s; null when the driver does not say (virtual NICs, no carrier). */
  speedMbps: z.number().int().nullable(),
  mtu: z.number().int(),
  addresses: z.array(z.string()),
  driver: z.string().nullable(),
  /** The bridge this NIC is a port of, if any. */
  bridge: z.string().nullable(),
});
export type HostNic = z.infer<typeof HostNic>;

export const HostBridge = z.object({
  name: z.string(),
  mtu: z.number().int(),
  state: z.string(),
  addresses: z.array(z.string()),
  /** Every port: host NICs, VLAN devices and VM taps. */
  ports: z.array(z.string()),
  /** Created and kept by Kelpie's network setup (false: made on the host by other means). */
  managed: z.boolean(),
  /** A Linux bridge or an Open vSwitch bridge (real, or fake: a VLAN of its `parent`). */
  switchType: NetworkSwitch.default('linux_bridge'),
  /** OVS fake bridge: the real OVS bridge it is a VLAN of, and that VLAN (0: untagged). */
  parent: z.string().nullable().default(null),
  vlanId: z.number().int().nullable().default(null),
});
export type HostBridge = z.infer<typeof HostBridge>;

/** Bond modes: Open vSwitch offers active-backup, balance-slb (by source MAC and VLAN, no switch
 * support needed) and balance-tcp (LACP); the Linux bonding driver its own modes. */
export const OVS_BOND_MODES = ['active-backup', 'balance-slb', 'balance-tcp'] as const;
export const LINUX_BOND_MODES = [
  'active-backup',
  'balance-rr',
  'balance-xor',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
] as const;
export const BondMode = z.enum([
  'active-backup',
  'balance-slb',
  'balance-tcp',
  'balance-rr',
  'balance-xor',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
]);
export type BondMode = z.infer<typeof BondMode>;

/** LACP on an Open vSwitch bond (its port's `lacp` column): off, or negotiating with the partner
 * actively or passively (a passive end waits for the other's PDUs). balance-tcp needs it. Linux bonds
 * negotiate LACP by their mode (802.3ad) instead. */
export const LACP_MODES = ['off', 'active', 'passive'] as const;
export const LacpMode = z.enum(LACP_MODES);
export type LacpMode = z.infer<typeof LacpMode>;
/** How often LACP PDUs go out (`other_config:lacp-time`): slow every 30 s, fast every second. */
export const LACP_RATES = ['slow', 'fast'] as const;
export const LacpRate = z.enum(LACP_RATES);
export type LacpRate = z.infer<typeof LacpRate>;

/** A bond the host should have: on OVS a bond port of the bridge `ovs-<name>` (`ovs-vsctl add-bond`),
 * on Linux a bonding device. Networks name it as their `nic`. */
export const BondSpec = z.strictObject({
  name: LinkName,
  members: z.array(LinkName).min(2).max(8),
  mode: BondMode,
  switchType: NetworkSwitch.default('linux_bridge'),
  /** Open vSwitch only (absent: off). */
  lacp: LacpMode.optional(),
  lacpRate: LacpRate.optional(),
});
export type BondSpec = z.infer<typeof BondSpec>;

/** A bond as the host has it (reported). */
export const HostBond = z.object({
  name: z.string(),
  members: z.array(z.string()),
  mode: z.string().nullable(),
  switchType: NetworkSwitch,
  /** The OVS bridge the bond is a port of (null: a Linux bond). */
  bridge: z.string().nullable(),
  /** An OVS bond's LACP setting and rate as ovsdb has them (null: not set, which is off / slow). */
  lacp: z.string().nullable().optional(),
  lacpRate: z.string().nullable().optional(),
});
export type HostBond = z.infer<typeof HostBond>;

/** One logical network carried by the host: a bridge on a NIC, optionally through a VLAN device. */
export const NetworkAttachmentSpec = z.strictObject({
  /** The logical network's name (for messages; the bridge is what the host knows). */
  network: z.string().max(255),
  bridge: LinkName,
  nic: LinkName,
  /** Linux bridge on the NIC (through `<nic>.<vlan>`), or an OVS fake bridge on the NIC's OVS bridge. */
  switchType: NetworkSwitch.default('linux_bridge'),
  vlanId: z.number().int().min(1).max(4094).nullable().default(null),
  mtu: z.number().int().min(68).max(65535),
  /** Addresses the bridge carries (non-VM networks such as management or storage); absent: the bridge's
   * addresses are left as they are, [] removes them. */
  addresses: z.array(AddressCidr).max(16).optional(),
  /** Default gateway through this network (at most one network of a setup carries it). */
  gateway: z.string().regex(GATEWAY_PATTERN).optional(),
});
export type NetworkAttachmentSpec = z.infer<typeof NetworkAttachmentSpec>;

/** The outcome of the latest setup on this host, kept by the agent and reported with the state. */
export const NetworkSetupOutcome = z.object({
  checkpoint: z.guid(),
  outcome: z.enum(['applied', 'rolled_back', 'failed']),
  reason: z.string().optional(),
  at: z.string().datetime(),
});
export type NetworkSetupOutcome = z.infer<typeof NetworkSetupOutcome>;

export const HostNetworkState = z.object({
  nics: z.array(HostNic),
  bridges: z.array(HostBridge),
  /** Bonds (agents before bonds did not report any). */
  bonds: z.array(HostBond).default([]),
  /** What the agent applied and keeps re-applying at its start. */
  attachments: z.array(NetworkAttachmentSpec),
  /** The bonds the agent applied with them. */
  appliedBonds: z.array(BondSpec).default([]),
  lastSetup: NetworkSetupOutcome.nullable(),
});
export type HostNetworkState = z.infer<typeof HostNetworkState>;
