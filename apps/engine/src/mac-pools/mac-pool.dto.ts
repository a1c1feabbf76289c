import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsName } from '../common/validation/validators';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export class MacRangeDto {
  @ApiProperty({ example: '52:54:00:00:00:00' })
  @Transform(lower)
  @IsString()
  @Matches(MAC, { message: 'from must look like 52:54:00:00:00:00' })
  from!: string;

  @ApiProperty({ example: '52:54:00:ff:ff:ff', description: 'Included; not below from.' })
  @Transform(lower)
  @IsString()
  @Matches(MAC, { message: 'to must look like 52:54:00:ff:ff:ff' })
  to!: string;
}

export class UpdateMacPoolDto {
  @IsName(true)
  @IsOptional()
  name?: string;

  @ApiProperty({ type: [MacRangeDto], description: '1-16 unicast ranges that do not overlap.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => MacRangeDto)
  ranges!: MacRangeDto[];
}
