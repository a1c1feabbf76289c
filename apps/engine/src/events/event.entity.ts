import { AuditActor, AuditEvent, EventSeverity, ObjectRef, values } from '@kelpie/shared-types';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';

/** The audit log. `refs` holds every object concerned (GIN-indexed for "events of this object"); the
 * first one is also kept in plain indexed columns for sorting and simple filters. */
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
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_event' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  time!: Date;

  @Column({ type: 'varchar', length: 16 })
  severity!: EventSeverity;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  refs!: ObjectRef[];

  @Column({ name: 'correlation_id', type: 'varchar', length: 64, nullable: true })
  correlationId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  actor!: AuditActor | null;

  /** First of refs, denormalised for the b-tree index. Not part of the API shape. */
  @Column({ name: 'object_type', type: 'varchar', length: 32, nullable: true, select: false })
  objectType!: string | null;

  @Column({ name: 'object_id', type: 'uuid', nullable: true, select: false })
  objectId!: string | null;
}
