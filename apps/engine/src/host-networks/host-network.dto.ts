import {
  ADDRESS_CIDR_PATTERN,
  GATEWAY_PATTERN,
  HostNetworkSetupAttachment,
  HostNetworkSetupRequest,
  LINK_NAME_PATTERN,
  MAX_CONNECTIVITY_TIMEOUT_MS,
} from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class HostNetworkSetupAttachmentDto implements HostNetworkSetupAttachment {
  @ApiProperty({ format: 'uuid', description: 'A logical network of the host’s datacenter.' })
  @IsUUID('all')
  networkId!: string;

  @ApiProperty({ example: 'eth1', description: 'The host NIC (or bond) that carries the network.' })
  @IsString()
  @Matches(LINK_NAME_PATTERN, { message: 'nic must be 1-15 of letters, digits, "_", ".", ":" or "-"' })
  nic!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['192.0.2.10/24'],
    description: 'Addresses of the network’s bridge on this host.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @Matches(ADDRESS_CIDR_PATTERN, { each: true, message: 'each address needs its prefix, e.g. 192.0.2.10/24' })
  addresses?: string[];

  @ApiPropertyOptional({ example: '192.0.2.1' })
  @IsOptional()
  @IsString()
  @Matches(GATEWAY_PATTERN, { message: 'gateway must be an IPv4 or IPv6 address' })
  gateway?: string;
}

export class HostNetworkSetupDto implements HostNetworkSetupRequest {
  @ApiProperty({
    type: [HostNetworkSetupAttachmentDto],
    description: 'Every network the host carries; the others are removed.',
  })
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => HostNetworkSetupAttachmentDto)
  attachments!: HostNetworkSetupAttachmentDto[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_CONNECTIVITY_TIMEOUT_MS / 1000, default: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CONNECTIVITY_TIMEOUT_MS / 1000)
  connectivityTimeoutSeconds?: number;
}
