import { AuditEvent, EventSeverity, ObjectRef, Page } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { ListSpec, paginate } from '../common/list/list-query';
import { StreamService } from '../stream/stream.service';
import { currentActor } from '../common/identity/request-context';
import { EventEntity } from './event.entity';
import { AuditEventResponse, mapAuditEvent } from './event.response';
import { EventListQuery } from './events.dto';

export interface RecordEvent {
  severity?: EventSeverity;
  type: string;
  message: string;
  refs?: ObjectRef[];
  correlationId?: string | null;
  /** Names the occurrence (e.g. `vm.ha_restarted:<start task id>`): recorded again under the same
   * key — an engine adopting a task redoes its last step — the first record stays and nothing is
   * published again. */
  once?: string;
}

/** The event id a `once` key stands for: a name-based UUID (RFC 4122 v5 layout over SHA-256), so
 * the primary key itself refuses the second record. */
export function eventIdFor(once: string): string {
  const h = createHash('sha256').update(`kelpie-event:${once}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const LIST: ListSpec = {
  sortable: { time: 'e.time', type: 'e.type', severity: 'e.severity' },
  defaultSort: 'time',
  defaultOrder: 'desc',
  search: 'e.message',
  filters: {
    severity: 'e.severity',
    type: 'e.type',
    correlationId: 'e.correlationId',
    objectType: (qb, v, p) =>
      qb.andWhere(`e.refs @> jsonb_build_array(jsonb_build_object('type', :${p}::text))`, { [p]: v }),
    objectId: (qb, v, p) =>
      qb.andWhere(`e.refs @> jsonb_build_array(jsonb_build_object('id', :${p}::text))`, { [p]: v }),
    since: (qb, v, p) => qb.andWhere(`e.time >= :${p}`, { [p]: v }),
    until: (qb, v, p) => qb.andWhere(`e.time < :${p}`, { [p]: v }),
  },
};

/** The audit log: what happened, to which objects, started by which request (correlation id). */
@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(EventEntity) private readonly repo: Repository<EventEntity>,
    private readonly stream: StreamService,
  ) {}

  /** Persists the event (inside `manager`'s transaction when given) and publishes it on the live stream. */
  async record(input: RecordEvent, manager?: EntityManager): Promise<AuditEvent> {
    const refs = input.refs ?? [];
    const entity = this.repo.create({
      id: input.once ? eventIdFor(input.once) : randomUUID(),
      time: new Date(),
      severity: input.severity ?? EventSeverity.Info,
      type: input.type,
      message: input.message.slice(0, 4000),
      refs,
      correlationId: input.correlationId ?? null,
      actor: currentActor(),
      objectType: refs[0]?.type ?? null,
      objectId: refs[0]?.id ?? null,
    });
    const em = manager ?? this.repo.manager;
    if (input.once) {
      const res = await em
        .createQueryBuilder()
        .insert()
        .into(EventEntity)
        .values(entity)
        .orIgnore()
        .returning(['id'])
        .execute();
      // Recorded before (by the engine that died): that record stands.
      if (!(res.raw as unknown[]).length)
        return mapAuditEvent(await em.findOneByOrFail(EventEntity, { id: entity.id }));
    } else await em.insert(EventEntity, entity);
    const event = mapAuditEvent(entity);
    await this.stream.publish({ type: 'event.recorded', event, refs, correlationId: event.correlationId });
    return event;
  }

  async list(query: EventListQuery): Promise<Page<AuditEventResponse>> {
    const page = await paginate(this.repo.createQueryBuilder('e'), query, LIST);
    return { ...page, items: page.items.map(mapAuditEvent) };
  }

  async get(id: string): Promise<AuditEventResponse> {
    const e = await this.repo.findOneBy({ id });
    if (!e) throw notFound('event', id);
    return mapAuditEvent(e);
  }
}
