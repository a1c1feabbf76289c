import { ObjectType, values } from '@kelpie/shared-types';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { ListQueryDto } from './list-query';

/** Filters shared by the activity lists (tasks, events): what kind, about which object, which request. */
export class ActivityListQuery extends ListQueryDto {
  @ApiPropertyOptional({ example: 'vm.start' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.]{1,64}$/)
  type?: string;

  @ApiPropertyOptional({ enum: values(ObjectType), description: 'Concerning an object of this type.' })
  @IsOptional()
  @IsIn(values(ObjectType))
  objectType?: ObjectType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Concerning this object.' })
  @IsOptional()
  @IsUUID('all')
  objectId?: string;

  @ApiPropertyOptional({ description: 'Everything one API request caused shares its correlation id.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.@:-]{1,64}$/)
  correlationId?: string;
}
