import { Injectable } from '@nestjs/common';
import { ObjectType } from '@kelpie/shared-types';
import { mapCluster } from './clusters/cluster.response';
import { mapDataCenter } from './datacenters/datacenter.response';
import { mapDisk } from './disks/disk.response';
import { mapHost } from './hosts/host.response';
import { mapLogicalNetwork } from './networks/network.response';
import { mapNic } from './nics/nic.response';
import { mapSnapshot } from './snapshots/snapshot.response';
import { mapStorageDomain } from './storage-domains/storage-domain.response';
import { StreamService } from './stream/stream.service';
import { mapVm } from './vms/vm.response';

/** Each object type with the response its REST routes answer; the live stream sends the same. */
export const STREAM_RESPONSES = [
  [ObjectType.DataCenter, mapDataCenter],
  [ObjectType.Cluster, mapCluster],
  [ObjectType.Host, mapHost],
  [ObjectType.StorageDomain, mapStorageDomain],
  [ObjectType.Network, mapLogicalNetwork],
  [ObjectType.Vm, mapVm],
  [ObjectType.Disk, mapDisk],
  [ObjectType.Nic, mapNic],
  [ObjectType.Snapshot, mapSnapshot],
] as const;

/** Tells the stream how each object type shows (the stream sits below the features that own them). */
@Injectable()
export class StreamResponses {
  constructor(stream: StreamService) {
    for (const [type, map] of STREAM_RESPONSES) stream.respondWith(type, map as (e: object) => object);
  }
}
