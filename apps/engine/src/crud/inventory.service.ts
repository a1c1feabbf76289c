import { ApiErrorDetail, ErrorCode, EventSeverity, ObjectRef, ObjectType, Page } from '@kelpie/shared-types';
import type { Abstract } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { isDeepStrictEqual } from 'node:util';
import { EntityManager, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListQueryDto, ListSpec, paginate } from '../common/list/list-query';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import type { ChildRows } from './child-rows.port';

export interface Named extends ObjectLiteral {
  id: string;
  name: string;
}

/** Objects that block deleting a parent: the rows whose `field` holds the parent id, as their owner
 * answers through its port (`rows`; a child's folder imports its parent's, so the parent cannot
 * import the child's repository). */
export interface ChildKind {
  type: ObjectType;
  rows: Abstract<ChildRows>;
  field: string;
  /** Plural words for messages, e.g. "clusters". */
  label: string;
}

const BLOCKING_SHOWN = 10;

export const refOf = (type: ObjectType, o: { id: string; name?: string }): ObjectRef => ({
  type,
  id: o.id,
  ...(o.name !== undefined ? { name: o.name } : {}),
});

/** Field names whose value differs between `entity` and `patch` (undefined in the patch = not given). */
export function changedFields<T extends object>(entity: T, patch: Partial<T>): (keyof T & string)[] {
  return (Object.keys(patch) as (keyof T & string)[]).filter(
    (k) => patch[k] !== undefined && !isDeepStrictEqual(normalize(entity[k]), normalize(patch[k])),
  );
}
const normalize = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Publishes object changes on the live stream and writes them to the audit log. */
export class ChangeNotifier {
  constructor(
    readonly events: EventsService,
    readonly stream: StreamService,
  ) {}

  async created(type: ObjectType, obj: Named, meta: RequestMeta, related: ObjectRef[] = []): Promise<void> {
    const ref = refOf(type, obj);
    const refs = [ref, ...related];
    await this.stream.publish({
      type: 'object.created',
      object: ref,
      data: this.stream.dataOf(type, obj),
      refs,
      correlationId: meta.correlationId,
    });
    await this.events.record({
      type: `${type}.created`,
      message: `${label(type)} ${obj.name} created by ${meta.actor}`,
      refs,
      correlationId: meta.correlationId,
    });
  }

  async updated(
    type: ObjectType,
    obj: Named,
    changes: string[],
    meta: RequestMeta,
    related: ObjectRef[] = [],
  ): Promise<void> {
    if (!changes.length) return;
    const ref = refOf(type, obj);
    const refs = [ref, ...related];
    await this.stream.publish({
      type: 'object.updated',
      object: ref,
      changes,
      data: this.stream.dataOf(type, obj),
      refs,
      correlationId: meta.correlationId,
    });
    await this.events.record({
      type: `${type}.updated`,
      message: `${label(type)} ${obj.name} updated by ${meta.actor} (${changes.join(', ')})`,
      refs,
      correlationId: meta.correlationId,
    });
  }

  async deleted(type: ObjectType, obj: Named, meta: RequestMeta, related: ObjectRef[] = []): Promise<void> {
    const ref = refOf(type, obj);
    const refs = [ref, ...related];
    await this.stream.publish({
      type: 'object.deleted',
      object: ref,
      refs,
      correlationId: meta.correlationId,
    });
    await this.events.record({
      severity: EventSeverity.Info,
      type: `${type}.deleted`,
      message: `${label(type)} ${obj.name} deleted by ${meta.actor}`,
      refs,
      correlationId: meta.correlationId,
    });
  }
}

/** The object a request field refers to, or a 404 that names the field. */
export async function findReferenced<R extends ObjectLiteral>(
  repo: Repository<R> | { find(id: string): Promise<R | null> },
  type: ObjectType,
  id: string,
  field: string,
): Promise<R> {
  const r = 'findOne' in repo ? await repo.findOne({ where: { id } as never }) : await repo.find(id);
  if (!r) {
    throw new DomainError(ErrorCode.NotFound, `${type} ${id} (${field}) does not exist`, [
      { field, reason: `${type} does not exist`, ref: { type, id } },
    ]);
  }
  return r;
}

const label = (type: ObjectType) => type.replace('_', ' ');

/**
 * What every inventory resource shares: get-or-404, the generic list, update with change tracking,
 * delete guarded by its children (409 has_children naming them). Subclasses add validation of
 * references and their own rules.
 */
export abstract class InventoryService<E extends Named> {
  protected abstract readonly type: ObjectType;
  protected abstract readonly alias: string;
  protected abstract readonly listSpec: ListSpec;
  protected readonly children: ChildKind[] = [];
  protected readonly notify: ChangeNotifier;

  constructor(
    protected readonly repo: Repository<E>,
    events: EventsService,
    stream: StreamService,
    /** Finds the ports of `children` (needed only when they name one). */
    private readonly owners?: ModuleRef,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  /** Parents and other objects a change of this object also concerns (for stream filters). */
  protected related(_e: E): ObjectRef[] {
    return [];
  }

  async get(id: string): Promise<E> {
    const e = await this.repo.findOne({ where: { id } as never });
    if (!e) throw notFound(this.type, id);
    return e;
  }

  /** The referenced object of a body field, or 404 naming the field. */
  protected mustExist<R extends ObjectLiteral>(
    repo: Repository<R> | { find(id: string): Promise<R | null> },
    type: ObjectType,
    id: string,
    field: string,
  ): Promise<R> {
    return findReferenced(repo, type, id, field);
  }

  protected listQuery(): SelectQueryBuilder<E> {
    return this.repo.createQueryBuilder(this.alias);
  }

  list(query: ListQueryDto): Promise<Page<E>> {
    return paginate(this.listQuery(), query, this.listSpec);
  }

  protected async insert(entity: E, meta: RequestMeta): Promise<E> {
    await this.repo.insert(entity as never);
    const saved = await this.get(entity.id);
    await this.notify.created(this.type, saved, meta, this.related(saved));
    return saved;
  }

  /** Applies the given fields, saves only what changed and announces the changed field names. */
  protected async patch(id: string, patch: Partial<E>, meta: RequestMeta, entity?: E): Promise<E> {
    const current = entity ?? (await this.get(id));
    const changes = changedFields(current, patch);
    if (!changes.length) return current;
    const set = Object.fromEntries(changes.map((k) => [k, patch[k]]));
    await this.repo.update({ id } as never, set as never);
    const saved = await this.get(id);
    await this.notify.updated(this.type, saved, changes, meta, this.related(saved));
    return saved;
  }

  /** Announces a change already written (`object.updated` + audit): for a task adopted from a dead
   * engine that wrote the record but died before announcing it. */
  async announceUpdated(entity: E, changes: string[], meta: RequestMeta): Promise<void> {
    await this.notify.updated(this.type, entity, changes, meta, this.related(entity));
  }

  async remove(id: string, meta: RequestMeta): Promise<void> {
    const entity = await this.get(id);
    await this.beforeRemove(entity);
    await this.repo.manager.transaction(async (tx) => {
      await this.assertNoChildren(tx, entity);
      await tx.delete(this.repo.target, { id } as never);
    });
    await this.notify.deleted(this.type, entity, meta, this.related(entity));
  }

  /** Throw to refuse deletion for reasons other than children (e.g. a running VM). */
  protected async beforeRemove(_entity: E): Promise<void> {}

  protected async assertNoChildren(tx: EntityManager, entity: E): Promise<void> {
    const details: ApiErrorDetail[] = [];
    const counts: string[] = [];
    for (const kind of this.children) {
      const [rows, total] = await this.childRows(tx, kind, entity.id);
      if (!rows.length) continue;
      counts.push(`${total} ${kind.label}`);
      for (const r of rows) {
        details.push({
          reason: `${kind.label} still refer to it`,
          ref: { type: kind.type, id: r.id, name: r.name },
        });
      }
    }
    if (details.length) {
      throw new DomainError(
        ErrorCode.HasChildren,
        `${label(this.type)} ${entity.name} still has ${counts.join(', ')}; remove them first`,
        details,
      );
    }
  }

  private childRows(tx: EntityManager, kind: ChildKind, parentId: string): Promise<[Named[], number]> {
    if (!this.owners) throw new Error(`${this.type} names a port for its ${kind.label} but has no ModuleRef`);
    const port = this.owners.get(kind.rows, { strict: false });
    return port.referringTo(tx, kind.field, parentId, BLOCKING_SHOWN);
  }
}
