import type { NetworkAttachment } from '../enums';
import type {
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
  /** What the agent applied and re-applies at its start. */
  attachments: NetworkAttachmentSpec[];
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

/** The whole wanted networking of a host: networks not listed are removed from it. */
export interface HostNetworkSetupRequest {
  attachments: HostNetworkSetupAttachment[];
  /** The agent restores the previous configuration unless the engine reaches it again within this
   * long after the change (default 60). */
  connectivityTimeoutSeconds?: number;
}
