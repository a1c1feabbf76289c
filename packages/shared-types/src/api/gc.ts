/** The garbage collector's findings (`GET /api/v1/gc/orphans` dry run, `POST /api/v1/gc/run`). */
export interface GcOrphanVolume {
  path: string;
  name: string;
  sizeBytes: number;
  /** Since the file last changed. */
  ageSeconds: number;
  /** Past the grace period: removed by a run (unless `keptBecause`). */
  due: boolean;
  removed: boolean;
  error?: string;
}

export interface GcOrphanDomain {
  uuid: string;
  name: string;
  active: boolean;
  /** Since it was defined (or first seen orphaned, when the host cannot tell). */
  ageSeconds: number;
  due: boolean;
  /** Why it is never removed automatically (a running domain is left to the operator). */
  keptBecause?: string;
  /** Set when the domain is a stale copy of a VM that runs on another host (a host fenced or
   * confirmed rebooted keeps the definitions of VMs restarted elsewhere): that host's name. */
  runsOn?: string;
  removed: boolean;
  error?: string;
}

export interface GcHostReport {
  hostId: string;
  hostName: string;
  volumes: GcOrphanVolume[];
  domains: GcOrphanDomain[];
  /** The host could not be listed (it is skipped this time). */
  error?: string;
}

export interface GcReport {
  dryRun: boolean;
  graceSeconds: number;
  hosts: GcHostReport[];
}
