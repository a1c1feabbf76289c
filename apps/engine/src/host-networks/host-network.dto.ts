import {
  ADDRESS_CIDR_PATTERN,
  BondMode,
  LACP_MODES,
  LACP_RATES,
  type LacpMode,
  type LacpRate,
  HostNetworkSetupBond,
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
  ArrayMinSize,
  IsIn,
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

export class HostNetworkSetupBondDto implements HostNetworkSetupBond {
  @ApiProperty({ example: 'bond0', description: 'The bond’s name; networks name it as their `nic`.' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,11}$/, {
    message: 'name must be 1-11 of letters, digits, "_", ".", ":" or "-" (its OVS bridge is ovs-<name>)',
  })
  name!: string;

  @ApiProperty({ type: [String], example: ['eth1', 'eth2'], description: 'Two to eight host NICs.' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(8)
  @Matches(LINK_NAME_PATTERN, { each: true, message: 'each member must be a NIC name' })
  members!: string[];

  @ApiProperty({
    enum: BondMode.options,
    description:
      'Open vSwitch: active-backup, balance-slb, balance-tcp (LACP). Linux: active-backup, balance-rr, ' +
      'balance-xor, 802.3ad, balance-tlb, balance-alb.',
  })
  @IsIn(BondMode.options)
  mode!: BondMode;

  @ApiPropertyOptional({
    enum: LACP_MODES,
    default: 'off',
    description: 'Open vSwitch bonds: LACP with the switch; balance-tcp needs active or passive.',
  })
  @IsOptional()
  @IsIn(LACP_MODES)
  lacp?: LacpMode;

  @ApiPropertyOptional({
    enum: LACP_RATES,
    default: 'slow',
    description: 'Open vSwitch bonds with LACP: PDUs every 30 s (slow) or every second (fast).',
  })
  @IsOptional()
  @IsIn(LACP_RATES)
  lacpRate?: LacpRate;
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

  @ApiPropertyOptional({
    type: [HostNetworkSetupBondDto],
    description: 'Every bond the host has; bonds of the previous setup not listed are removed.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => HostNetworkSetupBondDto)
  bonds?: HostNetworkSetupBondDto[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_CONNECTIVITY_TIMEOUT_MS / 1000, default: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CONNECTIVITY_TIMEOUT_MS / 1000)
  connectivityTimeoutSeconds?: number;
}
