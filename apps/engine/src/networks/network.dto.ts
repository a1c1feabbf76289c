import { NetworkAttachment, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName } from '../common/validation/validators';
import { BRIDGE_PATTERN } from './network.entity';

export class CreateNetworkDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  datacenterId!: string;

  @ApiProperty({ description: 'Linux bridge on every host (1-15 characters).', example: 'br-prod' })
  @IsString()
  @Matches(BRIDGE_PATTERN, { message: 'bridge must be 1-15 of letters, digits, "_", "." or "-"' })
  bridge!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 4094 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(4094)
  vlanId?: number | null;

  @ApiPropertyOptional({ minimum: 68, maximum: 65535, default: 1500 })
  @IsOptional()
  @IsInt()
  @Min(68)
  @Max(65535)
  mtu?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  vmNetwork?: boolean;
}

export class UpdateNetworkDto extends PartialType(OmitType(CreateNetworkDto, ['datacenterId'] as const)) {}

export class NetworkListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Networks attached to this cluster.' })
  @IsOptional()
  @IsUUID('all')
  clusterId?: string;
}

export class AttachNetworkDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  networkId!: string;

  @ApiPropertyOptional({ enum: values(NetworkAttachment), default: NetworkAttachment.Required })
  @IsOptional()
  @IsIn(values(NetworkAttachment))
  attachment?: NetworkAttachment;
}

export class UpdateAttachmentDto {
  @ApiProperty({ enum: values(NetworkAttachment) })
  @IsIn(values(NetworkAttachment))
  attachment!: NetworkAttachment;
}
