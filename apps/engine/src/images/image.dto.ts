import { IMAGE_SIZE_MAX } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export class CreateImageDto {
  @ApiProperty({
    example: 'debian-12-netinst.iso',
    description: 'Unique in the domain; letters, digits, space, `_.+-`.',
  })
  @IsString()
  @MaxLength(255)
  @Matches(/^[A-Za-z0-9_.+-][A-Za-z0-9 _.+-]*$/, {
    message: 'name may hold letters, digits, spaces and _.+-',
  })
  name!: string;

  @ApiProperty({
    enum: ['iso', 'disk'],
    description: 'iso: a CD/DVD image for the ISO library; disk: becomes a disk.',
  })
  @IsIn(['iso', 'disk'])
  kind!: 'iso' | 'disk';

  @ApiPropertyOptional({
    enum: ['raw', 'qcow2'],
    description: 'kind=disk: the declared format (checked against the content).',
  })
  @ValidateIf((o: CreateImageDto) => o.kind === 'disk' || o.format !== undefined)
  @IsIn(['raw', 'qcow2'])
  format?: 'raw' | 'qcow2';

  @ApiProperty({
    minimum: 1,
    maximum: IMAGE_SIZE_MAX,
    description: 'Exact byte length of the file to upload.',
  })
  @IsInt()
  @Min(1)
  @Max(IMAGE_SIZE_MAX)
  sizeBytes!: number;

  @ApiPropertyOptional({
    description: 'SHA-256 (hex) of the file: the upload is refused when the bytes differ.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hex digits' })
  sha256?: string;
}
