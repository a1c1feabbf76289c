import { AuditActor, AuditEvent, EventSeverity, ObjectRef, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';

/** The audit log. `refs` holds every object concerned (GIN-indexed for "events of this object"); the
 * first one is also kept in plain indexed columns for sorting and simple filters. */
@ApiSchema({ name: 'AuditActor' })
export class AuditActorDoc implements AuditActor {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tokenId!: string | null;
  @ApiProperty({ type: String, nullable: true }) sourceAddress!: string | null;
}

@ApiSchema({ name: 'AuditEvent' })
@Entity('event')
@Index('ix_event_time', ['time'])
@Index('ix_event_object', ['objectType', 'objectId'])
@Index('ix_event_type', ['type'])
@Index('ix_event_severity', ['severity'])
@Index('ix_event_correlation', ['correlationId'])
// Created by the migration (GIN on jsonb); TypeORM cannot describe it, so it leaves it alone.
@Index('ix_event_refs', { synchronize: false })
@Check('ck_event_severity', inList('severity', values(EventSeverity)))
export class EventEntity implements Persisted<AuditEvent, 'time'> {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_event' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  @Column({ type: 'timestamptz', default: () => 'now()' })
  time!: Date;

  @ApiProperty({ enum: values(EventSeverity) })
  @Column({ type: 'varchar', length: 16 })
  severity!: EventSeverity;

  @ApiProperty({ example: 'vm.created' })
  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @ApiProperty()
  @Column({ type: 'text' })
  message!: string;

  @ApiProperty({ description: 'Objects the event concerns, main one first.' })
  @Column({ type: 'jsonb', default: () => "'[]'" })
  refs!: ObjectRef[];

  @ApiProperty({ type: String, nullable: true })
  @Column({ name: 'correlation_id', type: 'varchar', length: 64, nullable: true })
  correlationId!: string | null;

  @ApiProperty({ type: AuditActorDoc, nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  actor!: AuditActor | null;

  /** First of refs, denormalised for the b-tree index. Not part of the API shape. */
  @Column({ name: 'object_type', type: 'varchar', length: 32, nullable: true, select: false })
  objectType!: string | null;

  @Column({ name: 'object_id', type: 'uuid', nullable: true, select: false })
  objectId!: string | null;
}
