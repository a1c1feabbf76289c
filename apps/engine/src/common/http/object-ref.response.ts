import { ObjectRef, ObjectType, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** A reference to an inventory object as tasks and events carry it (the generated client types it). */
@ApiSchema({ name: 'ObjectRef' })
export class ObjectRefResponse implements ObjectRef {
  @ApiProperty({ enum: values(ObjectType) })
  type!: ObjectType;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional({ description: "The object's name when it was recorded." })
  name?: string;
}
