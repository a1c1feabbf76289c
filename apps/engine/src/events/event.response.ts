import { AuditActor, AuditEvent, EventSeverity, ObjectRef, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ObjectRefResponse } from '../common/http/object-ref.response';
import type { EventEntity } from './event.entity';

@ApiSchema({ name: 'AuditActor' })
export class AuditActorResponse implements AuditActor {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tokenId!: string | null;
  @ApiProperty({ type: String, nullable: true }) sourceAddress!: string | null;
}

/** An audit event as the API answers it: not the first ref's columns kept for the index. */
@ApiSchema({ name: 'AuditEvent' })
export class AuditEventResponse implements AuditEvent {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  time!: string;

  @ApiProperty({ enum: values(EventSeverity) })
  severity!: EventSeverity;

  @ApiProperty({ example: 'vm.created' })
  type!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: [ObjectRefResponse], description: 'Objects the event concerns, main one first.' })
  refs!: ObjectRef[];

  @ApiProperty({ type: String, nullable: true })
  correlationId!: string | null;

  @ApiProperty({ type: AuditActorResponse, nullable: true })
  actor!: AuditActor | null;
}

export function mapAuditEvent(e: EventEntity): AuditEventResponse {
  return {
    id: e.id,
    time: e.time.toISOString(),
    severity: e.severity,
    type: e.type,
    message: e.message,
    refs: e.refs,
    correlationId: e.correlationId,
    actor: e.actor,
  };
}
