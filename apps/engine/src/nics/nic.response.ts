import { Nic, NicModel, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import { MAC_PATTERN, type NicEntity } from './nic.entity';

@ApiSchema({ name: 'Nic' })
export class NicResponse extends InventoryResponse implements Nic {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  vmId!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty({ format: 'uuid', description: 'The vNIC profile (of networkId) it attaches to.' })
  profileId!: string;

  @ApiProperty({ example: '52:54:00:12:34:56', pattern: MAC_PATTERN.source })
  mac!: string;

  @ApiProperty({ enum: values(NicModel) })
  model!: NicModel;

  @ApiProperty({ description: "The guest's link (false: cable unplugged)." })
  linkUp!: boolean;
}

export function mapNic(e: NicEntity): NicResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    vmId: e.vmId,
    networkId: e.networkId,
    profileId: e.profileId,
    mac: e.mac,
    model: e.model,
    linkUp: e.linkUp,
  };
}
