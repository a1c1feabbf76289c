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
