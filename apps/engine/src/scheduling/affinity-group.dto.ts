import { AffinityPolarity, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsDescription, IsName } from '../common/validation/validators';

export class CreateAffinityGroupDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ enum: values(AffinityPolarity) })
  @IsIn(values(AffinityPolarity))
  polarity!: AffinityPolarity;

  @ApiProperty({ description: 'true: a filter (hosts that break it are refused); false: a weight' })
  @IsBoolean()
  enforcing!: boolean;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    nullable: true,
    description:
      'VMs of the cluster. A create without them (absent or null) makes an empty group, filled later; a change with them replaces the members, without them keeps them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsUUID('all', { each: true })
  vmIds?: string[] | null;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    nullable: true,
    description:
      'Hosts of the cluster: positive pins the VMs to them, negative keeps the VMs off them. A group with hosts is a VM↔host rule only (its VMs are not also kept together or apart).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsUUID('all', { each: true })
  hostIds?: string[] | null;
}

export class UpdateAffinityGroupDto extends PartialType(CreateAffinityGroupDto) {}

@ApiSchema({ name: 'AffinityGroup' })
export class AffinityGroupDoc extends PickType(CreateAffinityGroupDto, [
  'name',
  'polarity',
  'enforcing',
] as const) {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'VMs of the cluster' }) vmIds!: string[];
  @ApiProperty({ format: 'uuid' }) clusterId!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) hostIds!: string[];
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** "What if" figures for a placement preview (the VM's own when absent). */
export class PlacementPreviewDto {
  @ApiPropertyOptional({ minimum: 16, maximum: 4_194_304 })
  @IsOptional()
  @IsInt()
  @Min(16)
  @Max(4_194_304)
  memoryMib?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 512 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(512)
  vcpus?: number;
}
