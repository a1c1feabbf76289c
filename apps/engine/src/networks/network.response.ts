import { ClusterNetwork, LogicalNetwork, NetworkAttachment, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import { BRIDGE_PATTERN, type ClusterNetworkEntity, type LogicalNetworkEntity } from './network.entity';

@ApiSchema({ name: 'LogicalNetwork' })
export class LogicalNetworkResponse extends InventoryResponse implements LogicalNetwork {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  datacenterId!: string;

  @ApiProperty({ example: 'br-prod', pattern: BRIDGE_PATTERN.source })
  bridge!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 4094 })
  vlanId!: number | null;

  @ApiProperty({ minimum: 68, maximum: 65535, default: 1500 })
  mtu!: number;

  @ApiProperty({ description: 'Carries VM traffic (false: management/storage only).' })
  vmNetwork!: boolean;
}

export function mapLogicalNetwork(e: LogicalNetworkEntity): LogicalNetworkResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    datacenterId: e.datacenterId,
    bridge: e.bridge,
    vlanId: e.vlanId,
    mtu: e.mtu,
    vmNetwork: e.vmNetwork,
  };
}

@ApiSchema({ name: 'ClusterNetwork' })
export class ClusterNetworkResponse implements ClusterNetwork {
  @ApiProperty({ format: 'uuid' })
  clusterId!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty({ enum: values(NetworkAttachment) })
  attachment!: NetworkAttachment;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export function mapClusterNetwork(e: ClusterNetworkEntity): ClusterNetworkResponse {
  return {
    clusterId: e.clusterId,
    networkId: e.networkId,
    attachment: e.attachment,
    createdAt: e.createdAt.toISOString(),
  };
}
