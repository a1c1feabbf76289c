/** One sample of `GET /api/v1/hosts/{id}/stats` (oldest first). */
export interface HostStatsSample {
  at: string;
  cpuPercent: number;
  memTotalKiB: number;
  memFreeKiB: number;
  ksmSharedPages?: number;
}

/** One sample of `GET /api/v1/vms/{id}/stats` (oldest first); byte counters summed over devices. */
export interface VmStatsSample {
  at: string;
  cpuPercent?: number;
  cpuTimeNs: number;
  balloonKiB?: number;
  rssKiB?: number;
  blockRdBytes: number;
  blockWrBytes: number;
  netRxBytes: number;
  netTxBytes: number;
}

/** One time bucket of `GET /api/v1/stats/fleet` (oldest first): each Up host's last sample in the
 * bucket, CPU averaged over them and memory summed. */
export interface FleetStatsSample {
  /** Start of the bucket. */
  at: string;
  /** Hosts with a sample in this bucket. */
  hosts: number;
  cpuPercent: number;
  memTotalKiB: number;
  memFreeKiB: number;
}

/** `GET /api/v1/stats/fleet`. */
export interface FleetStats {
  /** Hosts that are Up now (the ones whose histories are read). */
  hosts: number;
  bucketSeconds: number;
  samples: FleetStatsSample[];
}
