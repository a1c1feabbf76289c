/**
 * What the clusters feature asks about a cluster's hosts. Hosts sit above clusters (a host belongs
 * to a cluster, and the hosts module imports this one), so clusters cannot import hosts: the hosts
 * module provides this port instead, and the clusters service looks it up when it needs it.
 */
export abstract class ClusterHostsPort {
  /** The cluster's hosts that are not in maintenance, by name. */
  abstract notInMaintenanceIn(clusterId: string): Promise<{ id: string; name: string }[]>;
}
