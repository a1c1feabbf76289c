import { NicModel, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, ValidateIf } from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName } from '../common/validation/validators';
import { MAC_PATTERN } from './nic.entity';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

export class CreateNicDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  vmId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A VM network of the VM's datacenter: the NIC gets its default profile (or give profileId).",
  })
  @ValidateIf((o: CreateNicDto) => o.profileId === undefined || o.networkId !== undefined)
  @IsUUID('all', { message: 'networkId must be a UUID (networkId or profileId is required)' })
  networkId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A vNIC profile of a VM network of the datacenter.' })
  @IsOptional()
  @IsUUID('all')
  profileId?: string;

  @ApiPropertyOptional({ description: 'Default: nic1, nic2, …', pattern: '^[A-Za-z0-9_.-]{1,64}$' })
  @IsOptional()
  @IsName(true)
  name?: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiPropertyOptional({ enum: values(NicModel), default: NicModel.Virtio })
  @IsOptional()
  @IsIn(values(NicModel))
  model?: NicModel;

  @ApiPropertyOptional({
    description: "Unicast MAC; default: a free one of the datacenter's MAC pool.",
    example: '52:54:00:12:34:56',
  })
  @IsOptional()
  @Transform(lower)
  @IsString()
  @Matches(MAC_PATTERN, { message: 'mac must look like 52:54:00:12:34:56' })
  @Matches(/^[0-9a-f][02468ace]/, { message: 'mac must be a unicast address' })
  mac?: string;
}

export class UpdateNicDto extends PartialType(OmitType(CreateNicDto, ['vmId'] as const)) {}

export class NicListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  vmId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  networkId?: string;
}
