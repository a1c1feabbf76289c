import type { Page, StreamMessage, Task, Vm } from '@kelpie/shared-types';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/resources';
import { StreamCachePatcher } from './patchCache';

const T = '2026-01-01T00:00:00.000Z';
const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const H1 = '33333333-3333-4333-8333-333333333333';

function vm(name: string, extra: Partial<Vm> = {}): Vm {
  return {
    id: `id-${name}`,
    name,
    description: '',
    datacenterId: 'dc',
    clusterId: C1,
    hostId: null,
    desiredStatus: 'down',
    status: 'down',
    statusReason: null,
    vcpus: 1,
    memoryMib: 1024,
    maxMemoryMib: 1024,
    osType: 'other',
    bootOrder: ['hd'],
    machineType: 'pc',
    firmware: 'bios',
    secureBoot: false,
    watchdogAction: null,
    graphicsVnc: true,
    isTemplate: false,
    sourceTemplateId: null,
    highlyAvailable: false,
    haPriority: 50,
    createdBy: 'admin',
    external: false,
    pendingRestart: null,
    graphicsPort: null,
    boot: null,
    cdromIsoPath: null,
    createdAt: T,
    updatedAt: T,
    ...extra,
  };
}
const page = <X>(items: X[], total = items.length, offset = 0, limit = 100): Page<X> => ({
  items,
  total,
  offset,
  limit,
});
const ref = (v: Vm) => ({ type: 'vm' as const, id: v.id, name: v.name });

let qc: QueryClient;
let patcher: StreamCachePatcher;
beforeEach(() => {
  qc = new QueryClient();
  patcher = new StreamCachePatcher(qc);
});

const names = (key: readonly unknown[]) => qc.getQueryData<Page<Vm>>(key)?.items.map((v) => v.name);
const total = (key: readonly unknown[]) => qc.getQueryData<Page<Vm>>(key)?.total;

describe('object.updated', () => {
  it('patches the detail and every window holding the object, without any fetch', () => {
    const a = vm('a');
    const b = vm('b');
    qc.setQueryData(keys.detail('vms', a.id), a);
    const all = keys.page('vms', {}, 0, 100);
    const byCluster = keys.page('vms', { clusterId: C1, sort: 'name' }, 0, 50);
    qc.setQueryData(all, page([a, b]));
    qc.setQueryData(byCluster, page([a, b]));
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const renamed = { ...a, name: 'a-renamed', description: 'x' };
    patcher.apply({
      type: 'object.updated',
      time: T,
      object: ref(a),
      changes: ['name', 'description'],
      data: renamed as unknown as Record<string, unknown>,
      refs: [ref(a)],
    });
    expect(qc.getQueryData<Vm>(keys.detail('vms', a.id))?.name).toBe('a-renamed');
    expect(names(all)).toEqual(['a-renamed', 'b']);
    expect(names(byCluster)).toEqual(['a-renamed', 'b']);
    expect(total(all)).toBe(2);
    expect(patcher.pendingCounts).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a fetch already under way when a change arrives does not put the old object back', async () => {
    const a = vm('a');
    const key = keys.detail('vms', a.id);
    qc.setQueryData(key, a);
    // The detail page refetches (e.g. after a task ended) while someone else edits the VM: the
    // server answered that fetch before the edit, and its answer lands after the stream's change.
    let answerStale: (v: Vm) => void = () => undefined;
    let fetches = 0;
    const observer = new QueryObserver<Vm>(qc, {
      queryKey: key,
      queryFn: () => {
        fetches += 1;
        return fetches === 1
          ? new Promise<Vm>((resolve) => (answerStale = resolve))
          : Promise.resolve({ ...a, description: 'front end' });
      },
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(fetches).toBe(1));
    patcher.apply({
      type: 'object.updated',
      time: T,
      object: ref(a),
      changes: ['description'],
      data: { ...a, description: 'front end' } as unknown as Record<string, unknown>,
      refs: [ref(a)],
    });
    answerStale(a);
    await vi.waitFor(() => expect(observer.getCurrentResult().fetchStatus).toBe('idle'));
    expect(qc.getQueryData<Vm>(key)?.description).toBe('front end');
    expect(fetches).toBe(2);
    unsubscribe();
  });

  it('drops the object from a filtered window it no longer matches', () => {
    const a = vm('a');
    const key = keys.page('vms', { clusterId: C1 }, 0, 100);
    qc.setQueryData(key, page([a, vm('b')]));
    patcher.apply({
      type: 'object.updated',
      time: T,
      object: ref(a),
      changes: ['clusterId'],
      data: { ...a, clusterId: C2 } as unknown as Record<string, unknown>,
      refs: [],
    });
    expect(names(key)).toEqual(['b']);
    expect(total(key)).toBe(1);
    expect(patcher.pendingCounts).toEqual(['vms']);
  });
});

describe('object.created / object.deleted', () => {
  it('inserts a new object at its sorted place in the windows whose filters it matches', () => {
    const all = keys.page('vms', { sort: 'name' }, 0, 100);
    const other = keys.page('vms', { clusterId: C2 }, 0, 100);
    const search = keys.page('vms', { q: 'zz' }, 0, 100);
    qc.setQueryData(all, page([vm('a'), vm('c')]));
    qc.setQueryData(other, page([vm('x', { clusterId: C2 })]));
    qc.setQueryData(search, page([]));
    const b = vm('b');
    patcher.apply({
      type: 'object.created',
      time: T,
      object: ref(b),
      data: b as unknown as Record<string, unknown>,
      refs: [ref(b)],
    });
    expect(names(all)).toEqual(['a', 'b', 'c']);
    expect(total(all)).toBe(3);
    expect(names(other)).toEqual(['x']);
    expect(total(other)).toBe(1);
    expect(names(search)).toEqual([]);
    expect(patcher.pendingCounts).toEqual(['vms']);
  });

  it('in a later window only bumps the total when the object sorts before it', () => {
    const w2 = keys.page('vms', {}, 100, 100);
    qc.setQueryData(w2, page([vm('m'), vm('n')], 1000, 100));
    const a = vm('a');
    patcher.apply({ type: 'object.created', time: T, object: ref(a), data: a as never, refs: [] });
    expect(names(w2)).toEqual(['m', 'n']);
    expect(total(w2)).toBe(1001);
  });

  it('respects a descending sort', () => {
    const key = keys.page('vms', { sort: 'name:desc' }, 0, 100);
    qc.setQueryData(key, page([vm('c'), vm('a')]));
    const b = vm('b');
    patcher.apply({ type: 'object.created', time: T, object: ref(b), data: b as never, refs: [] });
    expect(names(key)).toEqual(['c', 'b', 'a']);
  });

  it('removes a deleted object and decrements totals', () => {
    const a = vm('a');
    const w1 = keys.page('vms', {}, 0, 100);
    qc.setQueryData(w1, page([a, vm('b')], 2));
    patcher.apply({ type: 'object.deleted', time: T, object: ref(a), refs: [ref(a)] });
    expect(names(w1)).toEqual(['b']);
    expect(total(w1)).toBe(1);
  });
});

describe('status messages', () => {
  it('vm.status patches status, reason and host and moves the VM into its host list', () => {
    const a = vm('a');
    qc.setQueryData(keys.detail('vms', a.id), a);
    const all = keys.page('vms', {}, 0, 100);
    const onHost = keys.page('vms', { hostId: H1 }, 0, 100);
    const down = keys.page('vms', { status: 'down' }, 0, 100);
    qc.setQueryData(all, page([a]));
    qc.setQueryData(onHost, page([]));
    qc.setQueryData(down, page([a]));
    const msg: StreamMessage = {
      type: 'vm.status',
      time: T,
      object: ref(a),
      from: 'down',
      to: 'up',
      hostId: H1,
      reason: null,
      refs: [ref(a)],
    };
    patcher.apply(msg);
    expect(qc.getQueryData<Vm>(keys.detail('vms', a.id))).toMatchObject({ status: 'up', hostId: H1 });
    expect(qc.getQueryData<Page<Vm>>(all)?.items[0].status).toBe('up');
    expect(names(onHost)).toEqual(['a']);
    expect(total(onHost)).toBe(1);
    expect(names(down)).toEqual([]);
    expect(total(down)).toBe(0);
  });

  it('host.status patches the host', () => {
    const h = { id: H1, name: 'h1', status: 'up', statusReason: null };
    qc.setQueryData(keys.page('hosts', {}, 0, 50), page([h]));
    patcher.apply({
      type: 'host.status',
      time: T,
      object: { type: 'host', id: H1 },
      from: 'up',
      to: 'non_responsive',
      reason: 'no heartbeat for 30 s',
      refs: [],
    });
    expect(qc.getQueryData<Page<typeof h>>(keys.page('hosts', {}, 0, 50))?.items[0]).toMatchObject({
      status: 'non_responsive',
      statusReason: 'no heartbeat for 30 s',
    });
  });
});

describe('counts', () => {
  it('are invalidated once per flush, however many messages arrived', () => {
    const invalidate = vi.spyOn(qc, 'invalidateQueries');
    qc.setQueryData(keys.count('vms', { status: 'up' }), 3);
    for (let i = 0; i < 200; i++) {
      patcher.apply({
        type: 'vm.status',
        time: T,
        object: { type: 'vm', id: `v${i}` },
        from: 'down',
        to: 'up',
        hostId: null,
        reason: null,
        refs: [],
      });
    }
    expect(invalidate).not.toHaveBeenCalled();
    patcher.flush();
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['vms', 'count'] });
    expect(qc.getQueryState(keys.count('vms', { status: 'up' }))?.isInvalidated).toBe(true);
    patcher.flush();
    expect(invalidate).toHaveBeenCalledTimes(1);
  });
});

describe('tasks and events', () => {
  const task = (progress: number, status: Task['status'] = 'running'): Task => ({
    id: 't1',
    type: 'vm.start',
    target: { type: 'vm', id: 'id-a' },
    status,
    progress,
    progressMessage: null,
    steps: [],
    result: null,
    errorCode: null,
    errorMessage: null,
    requestedBy: 'admin',
    correlationId: 'c1',
    createdAt: T,
    startedAt: T,
    finishedAt: null,
  });

  it('task messages keep the task detail and the running-task list current', () => {
    const running = keys.page('tasks', { status: 'running' }, 0, 10);
    qc.setQueryData(running, page<Task>([]));
    patcher.apply({ type: 'task.created', time: T, task: task(0), refs: [] });
    expect(qc.getQueryData<Page<Task>>(running)?.items).toHaveLength(1);
    patcher.apply({ type: 'task.progress', time: T, task: task(40), refs: [] });
    expect(qc.getQueryData<Task>(keys.detail('tasks', 't1'))?.progress).toBe(40);
    expect(qc.getQueryData<Page<Task>>(running)?.items[0].progress).toBe(40);
    patcher.apply({ type: 'task.finished', time: T, task: task(100, 'succeeded'), refs: [] });
    expect(qc.getQueryData<Task>(keys.detail('tasks', 't1'))?.status).toBe('succeeded');
    expect(qc.getQueryData<Page<Task>>(running)?.items).toHaveLength(0);
  });

  it('a recorded event goes on top of the newest-first event windows that concern its objects', () => {
    const latest = keys.page('events', {}, 0, 10);
    const forVm = keys.page('events', { objectId: 'id-a' }, 0, 10);
    const forOther = keys.page('events', { objectId: 'id-z' }, 0, 10);
    const old = { id: 'e0', time: '2025-01-01T00:00:00.000Z', message: 'old', refs: [] };
    qc.setQueryData(latest, page([old]));
    qc.setQueryData(forVm, page([]));
    qc.setQueryData(forOther, page([]));
    patcher.apply({
      type: 'event.recorded',
      time: T,
      event: {
        id: 'e1',
        time: T,
        severity: 'info',
        type: 'vm.created',
        message: 'VM a created',
        refs: [{ type: 'vm', id: 'id-a' }],
        correlationId: null,
        actor: null,
      },
      refs: [],
    });
    expect(qc.getQueryData<Page<{ id: string }>>(latest)?.items.map((e) => e.id)).toEqual(['e1', 'e0']);
    expect(qc.getQueryData<Page<{ id: string }>>(forVm)?.items.map((e) => e.id)).toEqual(['e1']);
    expect(qc.getQueryData<Page<{ id: string }>>(forOther)?.items).toEqual([]);
  });
});
