import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsHostAddress } from '../common/validation/validators';
import {
  POWER_MANAGEMENT_TYPES,
  type PowerManagement,
  type PowerManagementInput,
  type PowerManagementTestResult as TestResult,
  type PowerManagementType,
} from '@kelpie/shared-types';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

/** PUT /hosts/{id}/power-management. Every value reaches fence_ipmilan as one `key="value"` line on
 * its standard input, hence printable ASCII only (a line break would smuggle in another option). */
export class PutPowerManagementDto implements PowerManagementInput {
  @ApiProperty({
    enum: POWER_MANAGEMENT_TYPES,
    example: 'ipmilan',
    description: 'Fence agent (fence-agents)',
  })
  @IsIn(POWER_MANAGEMENT_TYPES)
  type!: PowerManagementType;

  @ApiProperty({ example: '192.0.2.110', description: "The BMC's address (not the host's)" })
  @Transform(lower)
  @IsString()
  @MaxLength(253)
  @IsHostAddress()
  address!: string;

  @ApiPropertyOptional({ default: 623, minimum: 1, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiProperty({ example: 'admin', description: 'BMC user (IPMI: at most 16 characters)' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,16}$/, {
    message: 'username must be 1-16 printable ASCII characters without spaces',
  })
  username!: string;

  @ApiPropertyOptional({
    writeOnly: true,
    description:
      'BMC password (IPMI: at most 20 characters). Required the first time; omitted, the stored one is kept. ' +
      'Stored encrypted, never returned.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x20-\x7e]{1,20}$/, { message: 'password must be 1-20 printable ASCII characters' })
  password?: string;

  @ApiPropertyOptional({ default: true, description: 'IPMI 2.0 (RMCP+); false only for IPMI 1.5 BMCs' })
  @IsOptional()
  @IsBoolean()
  lanplus?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 17,
    description: 'IPMI 2.0 cipher suite (default: discovered)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(17)
  cipher?: number;
}

/** What the API shows of a host's power management: never the password. */
export class PowerManagementView implements Omit<PowerManagement, 'updatedAt'> {
  @ApiProperty({ enum: POWER_MANAGEMENT_TYPES })
  type!: PowerManagementType;

  @ApiProperty()
  address!: string;

  @ApiProperty()
  port!: number;

  @ApiProperty()
  username!: string;

  @ApiProperty({ description: 'A password is stored (encrypted); it is never returned.' })
  passwordSet!: boolean;

  @ApiProperty()
  lanplus!: boolean;

  @ApiProperty({ type: Number, nullable: true })
  cipher!: number | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;
}

/** POST /hosts/{id}/power-management/test: what the BMC answered to a status query. */
export class PowerManagementTestResult implements TestResult {
  @ApiProperty({ enum: ['on', 'off'], description: "The host's power as its BMC reports it" })
  powerStatus!: 'on' | 'off';

  @ApiProperty({ example: 'Status: ON' })
  detail!: string;
}
