import { NicQosLimit, VnicProfile } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import type { VnicProfileEntity } from './vnic-profile.entity';

@ApiSchema({ name: 'NicQosLimit' })
export class NicQosLimitResponse implements NicQosLimit {
  @ApiProperty({ description: 'KiB/s' })
  averageKiBps!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'KiB/s' })
  peakKiBps!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'KiB' })
  burstKiB!: number | null;
}

@ApiSchema({ name: 'VnicProfile' })
export class VnicProfileResponse extends InventoryResponse implements VnicProfile {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty({ description: "The network's default profile (what a NIC given only networkId gets)." })
  isDefault!: boolean;

  @ApiProperty({ type: NicQosLimitResponse, nullable: true, description: 'Received by the guest.' })
  inbound!: NicQosLimitResponse | null;

  @ApiProperty({ type: NicQosLimitResponse, nullable: true, description: 'Sent by the guest.' })
  outbound!: NicQosLimitResponse | null;

  @ApiProperty({ description: 'The network’s traffic is mirrored to the NICs using this profile.' })
  portMirroring!: boolean;
}

export function qosOf(e: VnicProfileEntity, dir: 'inbound' | 'outbound'): NicQosLimit | null {
  const average = e[`${dir}AverageKibps`];
  if (average === null) return null;
  return { averageKiBps: average, peakKiBps: e[`${dir}PeakKibps`], burstKiB: e[`${dir}BurstKib`] };
}

export function mapVnicProfile(e: VnicProfileEntity): VnicProfileResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    networkId: e.networkId,
    isDefault: e.isDefault,
    inbound: qosOf(e, 'inbound'),
    outbound: qosOf(e, 'outbound'),
    portMirroring: e.portMirroring,
  };
}
