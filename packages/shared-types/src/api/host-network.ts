import type { NetworkAttachment } from '../enums';
import type {
  BondMode,
  LacpMode,
  LacpRate,
  BondSpec,
  HostBond,
  HostBridge,
  HostNic,
  NetworkAttachmentSpec,
  NetworkSetupOutcome,
} from '../protocol/host-network';

/** A cluster network and whether the host carries it (a bridge of that name exists on the host). */
export interface HostNetworkPresence {
  networkId: string;
  name: string;
  bridge: string;
  attachment: NetworkAttachment;
  present: boolean;
}

/** `GET /hosts/{id}/nics`: the host's NICs and bridges as its agent last reported them, with the
 * logical network each bridge carries and the cluster's networks the host lacks. */
export interface HostNetworkView {
  hostId: string;
  /** null: the agent has not reported its networking yet. */
  reportedAt: string | null;
  nics: HostNic[];
  bridges: (HostBridge & { networkId: string | null; networkName: string | null })[];
  bonds: HostBond[];
  /** What the agent applied and re-applies at its start. */
  attachments: NetworkAttachmentSpec[];
  appliedBonds: BondSpec[];
  lastSetup: NetworkSetupOutcome | null;
  clusterNetworks: HostNetworkPresence[];
  /** Optional cluster networks the host lacks (required ones make it `non_operational`). */
  warnings: string[];
}

/** One network of `POST /hosts/{id}/network-setup`. */
export interface HostNetworkSetupAttachment {
  networkId: string;
  nic: string;
  /** Addresses of the network's bridge on this host (management, storage…), e.g. 192.0.2.10/24. */
  addresses?: string[];
  gateway?: string;
}

/** One bond of `POST /hosts/{id}/network-setup` (OVS or Linux, as the cluster's switch type). */
export interface HostNetworkSetupBond {
  name: string;
  /** Two or more host NICs, none of them carrying a network itself. */
  members: string[];
  mode: BondMode;
  /** Open vSwitch bonds: LACP off (default), active or passive; balance-tcp needs active or passive. */
  lacp?: LacpMode;
  /** Open vSwitch bonds with LACP: PDUs every 30 s (slow, default) or every second (fast). */
  lacpRate?: LacpRate;
}

/** The whole wanted networking of a host: networks and bonds not listed are removed from it. */
export interface HostNetworkSetupRequest {
  attachments: HostNetworkSetupAttachment[];
  bonds?: HostNetworkSetupBond[];
  /** The agent restores the previous configuration unless the engine reaches it again within this
   * long after the change (default 60). */
  connectivityTimeoutSeconds?: number;
}
