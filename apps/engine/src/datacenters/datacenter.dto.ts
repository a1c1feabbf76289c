import { PartialType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName } from '../common/validation/validators';

export class CreateDataCenterDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;
}

export class UpdateDataCenterDto extends PartialType(CreateDataCenterDto) {}

export class DataCenterListQuery extends ListQueryDto {}
