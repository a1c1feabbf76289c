import {
  EventSeverity,
  ObjectType,
  STREAM_MESSAGE_TYPES,
  StreamMessageType,
  values,
} from '@kelpie/shared-types';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { ActivityListQuery } from '../common/list/activity-query';

export class EventListQuery extends ActivityListQuery {
  @ApiPropertyOptional({ enum: values(EventSeverity) })
  @IsOptional()
  @IsIn(values(EventSeverity))
  severity?: EventSeverity;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  since?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  until?: string;
}

const splitList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class StreamQuery {
  @ApiPropertyOptional({
    enum: values(ObjectType),
    description: 'Only messages concerning objects of this type.',
  })
  @IsOptional()
  @IsIn(values(ObjectType))
  objectType?: ObjectType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only messages concerning this object.' })
  @IsOptional()
  @IsUUID('all')
  objectId?: string;

  @ApiPropertyOptional({
    description: `Comma-separated message types (${STREAM_MESSAGE_TYPES.join(', ')}).`,
    type: String,
  })
  @IsOptional()
  @Transform(splitList)
  @IsIn(STREAM_MESSAGE_TYPES as StreamMessageType[], { each: true })
  @MaxLength(32, { each: true })
  types?: StreamMessageType[];
}
