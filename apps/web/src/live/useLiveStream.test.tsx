import type { Page, StreamMessage } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { keys } from '../api/resources';
import { useLiveStream, type EventSourceLike } from './useLiveStream';

class FakeEventSource implements EventSourceLike {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  private handlers: ((ev: MessageEvent<string>) => void)[] = [];
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(_type: 'message', fn: (ev: MessageEvent<string>) => void) {
    this.handlers.push(fn);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  drop() {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
  send(msg: StreamMessage | string) {
    const data = typeof msg === 'string' ? msg : JSON.stringify(msg);
    for (const h of this.handlers) h(new MessageEvent('message', { data }));
  }
}

let qc: QueryClient;
beforeEach(() => {
  FakeEventSource.all = [];
  qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const wrapper = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={qc}>{children}</QueryClientProvider>
);
const render = () =>
  renderHook(() => useLiveStream({ createEventSource: (u) => new FakeEventSource(u), flushMs: 500 }), {
    wrapper,
  });

const T = '2026-01-01T00:00:00.000Z';

it('opens one EventSource on the stream URL and closes it on unmount', () => {
  const { result, unmount, rerender } = render();
  rerender();
  expect(FakeEventSource.all).toHaveLength(1);
  expect(FakeEventSource.all[0].url).toBe('/api/v1/events/stream');
  expect(result.current.state).toBe('connecting');
  act(() => FakeEventSource.all[0].open());
  expect(result.current.state).toBe('open');
  unmount();
  expect(FakeEventSource.all[0].closed).toBe(true);
});

it('patches the cache from stream messages and batches count invalidations', () => {
  const listKey = keys.page('vms', {}, 0, 100);
  qc.setQueryData(listKey, {
    items: [{ id: 'v1', name: 'web-1', status: 'down' }],
    total: 1,
    limit: 100,
    offset: 0,
  });
  qc.setQueryData(keys.count('vms', { status: 'up' }), 0);
  const { result } = render();
  const seen: string[] = [];
  act(() => void result.current.subscribe((m) => seen.push(m.type)));
  const es = FakeEventSource.all[0];
  act(() => {
    es.open();
    es.send({
      type: 'object.updated',
      time: T,
      object: { type: 'vm', id: 'v1' },
      changes: ['name'],
      data: { id: 'v1', name: 'web-renamed', status: 'down' },
      refs: [],
    });
    es.send('not json');
    es.send({
      type: 'vm.status',
      time: T,
      object: { type: 'vm', id: 'v1' },
      from: 'down',
      to: 'up',
      hostId: null,
      reason: null,
      refs: [],
    });
  });
  const items = qc.getQueryData<Page<{ name: string; status: string }>>(listKey)!.items;
  expect(items[0]).toMatchObject({ name: 'web-renamed', status: 'up' });
  expect(seen).toEqual(['object.updated', 'vm.status']);
  expect(qc.getQueryState(keys.count('vms', { status: 'up' }))?.isInvalidated).toBe(false);
  act(() => {
    vi.advanceTimersByTime(600);
  });
  expect(qc.getQueryState(keys.count('vms', { status: 'up' }))?.isInvalidated).toBe(true);
});

it('after a lost connection comes back, active queries refetch once', () => {
  const spy = vi.spyOn(qc, 'invalidateQueries');
  render();
  const es = FakeEventSource.all[0];
  act(() => es.open());
  expect(spy).not.toHaveBeenCalled();
  act(() => es.drop());
  act(() => es.open());
  expect(spy).toHaveBeenCalledTimes(1);
  expect(spy).toHaveBeenCalledWith({ refetchType: 'active' });
});

it('a stream.resync message (messages were lost, connection kept) makes active queries refetch', () => {
  const spy = vi.spyOn(qc, 'invalidateQueries');
  render();
  const es = FakeEventSource.all[0];
  act(() => es.open());
  act(() => es.send({ type: 'stream.resync', time: T, refs: [], reason: 'Redis was unreachable' }));
  expect(spy).toHaveBeenCalledTimes(1);
  expect(spy).toHaveBeenCalledWith({ refetchType: 'active' });
});
