import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName } from '../common/validation/validators';
import { DiskSpecDto } from '../vms/disk-spec.dto';
import { DISK_SIZE_MAX, DISK_SIZE_MIN, TARGET_DEV_PATTERN } from './disk.entity';

export class CreateDiskDto extends DiskSpecDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ minimum: DISK_SIZE_MIN, maximum: DISK_SIZE_MAX, example: 10 * 1024 ** 3 })
  @IsInt()
  @Min(DISK_SIZE_MIN)
  @Max(DISK_SIZE_MAX)
  virtualSizeBytes!: number;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Attach to this VM (null: detach).',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all')
  vmId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'vdb',
    description: 'Default: next free for the bus.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(TARGET_DEV_PATTERN, { message: 'targetDev must look like vda, sdb or hdc' })
  targetDev?: string | null;
}

export class UpdateDiskDto extends PartialType(
  OmitType(CreateDiskDto, ['storageDomainId', 'format'] as const),
) {}

export class DiskListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  vmId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  storageDomainId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;
}
