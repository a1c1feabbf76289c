import type { ObjectRef, Page, StreamMessage } from '@kelpie/shared-types';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { keys, LIST_DEFAULTS, RESOURCE_OF, type ListFilter, type Resource } from '../api/resources';

type Obj = Record<string, unknown> & { id: string };

/** Parameters of a list key that are not equality filters. */
const NOT_FILTERS = new Set(['sort', 'q', 'limit', 'offset']);

/** The value a list filter compares for one object, or `unknown` when the object alone cannot tell. */
const UNKNOWN = Symbol('unknown');
function filterValue(resource: Resource, obj: Obj, key: string, wanted: unknown): unknown {
  if (resource === 'events' && (key === 'objectType' || key === 'objectId')) {
    const refs = (obj.refs as ObjectRef[] | undefined) ?? [];
    const field = key === 'objectType' ? 'type' : 'id';
    return refs.some((r) => String(r[field]) === String(wanted)) ? wanted : null;
  }
  if (resource === 'tasks' && (key === 'objectType' || key === 'objectId')) {
    const target = obj.target as ObjectRef | null | undefined;
    return target ? target[key === 'objectType' ? 'type' : 'id'] : null;
  }
  return key in obj ? obj[key] : UNKNOWN;
}

/** Whether an object belongs to a list: true, false, or undefined when it cannot be told client-side. */
export function matchesFilter(resource: Resource, filter: ListFilter, obj: Obj): boolean | undefined {
  let unknown = false;
  for (const [key, wanted] of Object.entries(filter)) {
    if (NOT_FILTERS.has(key) || wanted === undefined || wanted === null || wanted === '') continue;
    const v = filterValue(resource, obj, key, wanted);
    if (v === UNKNOWN) unknown = true;
    else if (String(v) !== String(wanted)) return false;
  }
  const q = filter.q;
  if (typeof q === 'string' && q) {
    const field = obj[LIST_DEFAULTS[resource].search];
    if (typeof field !== 'string') unknown = true;
    else if (!field.toLowerCase().includes(q.toLowerCase())) return false;
  }
  return unknown ? undefined : true;
}

/** The filter keys a list uses (to know whether a change can move an object in or out of it). */
function filterKeys(filter: ListFilter): string[] {
  const ks = Object.keys(filter).filter((k) => !NOT_FILTERS.has(k));
  if (filter.q) ks.push('name');
  return ks;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}

/** Comparator matching the list's SQL ORDER BY (field, then id). */
export function comparatorFor(resource: Resource, filter: ListFilter): (a: Obj, b: Obj) => number {
  const def = LIST_DEFAULTS[resource];
  const [field, order] =
    typeof filter.sort === 'string' && filter.sort ? filter.sort.split(':') : [def.sort, def.order];
  const dir = (order ?? 'asc') === 'desc' ? -1 : 1;
  return (a, b) => dir * compareValues(a[field], b[field]) || compareValues(a.id, b.id);
}

/** Inserts `obj` into a loaded window when its sort position falls inside it; false when it belongs elsewhere. */
export function insertSorted(page: Page<Obj>, obj: Obj, cmp: (a: Obj, b: Obj) => number): Page<Obj> | null {
  const items = page.items;
  let i = items.findIndex((it) => cmp(obj, it) < 0);
  if (i === -1) i = items.length;
  if (i === 0 && page.offset > 0) return null; // before this window
  if (i === items.length && page.offset + items.length < page.total) return null; // after this window
  const next = [...items.slice(0, i), obj, ...items.slice(i)];
  if (next.length > page.limit) next.pop();
  return { ...page, items: next };
}

/**
 * Applies live stream messages to the react-query cache: objects are patched in place in their detail
 * entry and in every cached list window; created/deleted objects are inserted/removed where the
 * window shows their position. Totals-only (count) queries are invalidated in batches by `flush()`,
 * so a burst of status changes costs one refetch per visible count, not one per message.
 */
export class StreamCachePatcher {
  private readonly countsToInvalidate = new Set<Resource>();

  constructor(private readonly qc: QueryClient) {}

  /** Resources whose counts wait for the next flush. */
  get pendingCounts(): Resource[] {
    return [...this.countsToInvalidate];
  }

  apply(msg: StreamMessage): void {
    switch (msg.type) {
      case 'object.created':
        this.created(RESOURCE_OF[msg.object.type], msg.data as Obj);
        break;
      case 'object.updated':
        this.updated(RESOURCE_OF[msg.object.type], msg.object.id, msg.data as Partial<Obj>, msg.changes);
        break;
      case 'object.deleted':
        this.deleted(RESOURCE_OF[msg.object.type], msg.object.id);
        break;
      case 'vm.status':
        this.updated('vms', msg.object.id, { status: msg.to, statusReason: msg.reason, hostId: msg.hostId }, [
          'status',
          'statusReason',
          'hostId',
        ]);
        break;
      case 'host.status':
        this.updated('hosts', msg.object.id, { status: msg.to, statusReason: msg.reason }, [
          'status',
          'statusReason',
        ]);
        break;
      case 'task.created':
        this.created('tasks', msg.task as unknown as Obj);
        break;
      case 'task.progress':
      case 'task.finished': {
        const task = msg.task as unknown as Obj;
        this.set(keys.detail('tasks', task.id), task);
        this.updated(
          'tasks',
          task.id,
          task,
          msg.type === 'task.finished' ? ['status', 'progress'] : ['progress'],
        );
        break;
      }
      case 'event.recorded':
        this.created('events', msg.event as unknown as Obj, false);
        break;
    }
  }

  /** Invalidates the counts touched since the last flush (active ones refetch once). */
  flush(): void {
    const resources = [...this.countsToInvalidate];
    this.countsToInvalidate.clear();
    for (const r of resources) void this.qc.invalidateQueries({ queryKey: keys.counts(r) });
  }

  private pages(resource: Resource) {
    return this.qc.getQueryCache().findAll({ queryKey: keys.pages(resource) });
  }

  private setPage(key: QueryKey, page: Page<Obj>) {
    this.set(key, page);
  }

  /**
   * Writes a patched copy into the cache. A fetch of that query already under way was answered
   * before this change and would overwrite it when it lands: it is replaced by a new fetch.
   */
  private set(key: QueryKey, data: unknown) {
    this.qc.setQueryData(key, data);
    if (this.qc.getQueryState(key)?.fetchStatus === 'fetching') {
      void this.qc.invalidateQueries({ queryKey: key, exact: true });
    }
  }

  /** The freshest copy of an object in the cache (detail or any window). */
  private known(resource: Resource, id: string): Obj | undefined {
    const detail = this.qc.getQueryData<Obj>(keys.detail(resource, id));
    if (detail) return detail;
    for (const q of this.pages(resource)) {
      const found = (q.state.data as Page<Obj> | undefined)?.items.find((it) => it.id === id);
      if (found) return found;
    }
    return undefined;
  }

  private created(resource: Resource, obj: Obj, counts = true) {
    if (!obj?.id) return;
    if (resource === 'tasks' || this.qc.getQueryData(keys.detail(resource, obj.id)) !== undefined) {
      this.set(keys.detail(resource, obj.id), obj);
    }
    for (const q of this.pages(resource)) {
      const page = q.state.data as Page<Obj> | undefined;
      if (!page) continue;
      const filter = (q.queryKey[2] ?? {}) as ListFilter;
      if (page.items.some((it) => it.id === obj.id)) continue;
      const match = matchesFilter(resource, filter, obj);
      if (match === undefined) {
        void this.qc.invalidateQueries({ queryKey: q.queryKey, exact: true, refetchType: 'none' });
        continue;
      }
      if (!match) continue;
      const inserted = insertSorted(page, obj, comparatorFor(resource, filter));
      this.setPage(q.queryKey, { ...(inserted ?? page), total: page.total + 1 });
    }
    if (counts) this.countsToInvalidate.add(resource);
  }

  private updated(resource: Resource, id: string, patch: Partial<Obj>, changes: string[]) {
    const detail = this.qc.getQueryData<Obj>(keys.detail(resource, id));
    if (detail) this.set(keys.detail(resource, id), { ...detail, ...patch });
    const base = this.known(resource, id);
    const full = base ? ({ ...base, ...patch, id } as Obj) : patch.id ? (patch as Obj) : undefined;
    for (const q of this.pages(resource)) {
      const page = q.state.data as Page<Obj> | undefined;
      if (!page) continue;
      const filter = (q.queryKey[2] ?? {}) as ListFilter;
      const index = page.items.findIndex((it) => it.id === id);
      const movedByFilter = filterKeys(filter).some((k) => changes.includes(k));
      if (index >= 0) {
        const next = { ...page.items[index], ...patch } as Obj;
        if (movedByFilter && matchesFilter(resource, filter, next) === false) {
          this.setPage(q.queryKey, {
            ...page,
            items: page.items.filter((it) => it.id !== id),
            total: Math.max(0, page.total - 1),
          });
        } else {
          const items = [...page.items];
          items[index] = next;
          this.setPage(q.queryKey, { ...page, items });
        }
      } else if (movedByFilter && full && matchesFilter(resource, filter, full) === true) {
        // It just entered this list (e.g. a VM that started on the host whose VMs are shown).
        const inserted = insertSorted(page, full, comparatorFor(resource, filter));
        this.setPage(q.queryKey, { ...(inserted ?? page), total: page.total + 1 });
      }
    }
    if (changes.some((c) => c === 'status' || c.endsWith('Id'))) this.countsToInvalidate.add(resource);
  }

  private deleted(resource: Resource, id: string) {
    const obj = this.known(resource, id);
    if (this.qc.getQueryData(keys.detail(resource, id)) !== undefined) {
      void this.qc.invalidateQueries({ queryKey: keys.detail(resource, id), exact: true });
    }
    for (const q of this.pages(resource)) {
      const page = q.state.data as Page<Obj> | undefined;
      if (!page) continue;
      const filter = (q.queryKey[2] ?? {}) as ListFilter;
      if (page.items.some((it) => it.id === id)) {
        this.setPage(q.queryKey, {
          ...page,
          items: page.items.filter((it) => it.id !== id),
          total: Math.max(0, page.total - 1),
        });
      } else if (obj && matchesFilter(resource, filter, obj) === true) {
        this.setPage(q.queryKey, { ...page, total: Math.max(0, page.total - 1) });
      }
    }
    this.countsToInvalidate.add(resource);
  }
}

/** The freshest cached copy of an object (detail entry first, then any list window). */
export function findCached<T>(qc: QueryClient, resource: Resource, id: string): T | undefined {
  const detail = qc.getQueryData<T>(keys.detail(resource, id));
  if (detail) return detail;
  for (const q of qc.getQueryCache().findAll({ queryKey: keys.pages(resource) })) {
    const found = (q.state.data as Page<Obj> | undefined)?.items.find((it) => it.id === id);
    if (found) return found as unknown as T;
  }
  return undefined;
}
