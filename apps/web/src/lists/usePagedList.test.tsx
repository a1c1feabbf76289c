import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { reconcileTotal, usePagedList } from './usePagedList';

const TOTAL = 50_000;
let requests: URL[] = [];

/** A fake list API: `page(offset, limit)` gives the body of each request, which is recorded. */
function serve(page: (offset: number, limit: number) => unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://portal');
      requests.push(url);
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      return new Response(JSON.stringify(page(offset, limit)), { status: 200 });
    }),
  );
}

beforeEach(() => {
  requests = [];
  serve((offset, limit) => {
    const items = Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) => ({
      id: `vm-${offset + i}`,
      name: `vm-${String(offset + i).padStart(5, '0')}`,
    }));
    return { items, total: TOTAL, limit, offset };
  });
});
afterEach(() => vi.unstubAllGlobals());

function wrapper({ children }: { children: ReactNode }) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
}

it('fetches only the windows around the scroll position, never the whole list', async () => {
  const { result } = renderHook(
    () => usePagedList<{ id: string; name: string }>('vms', { sort: 'name' }, { debounceMs: 0 }),
    {
      wrapper,
    },
  );
  await waitFor(() => expect(result.current.total).toBe(TOTAL));
  expect(result.current.rowAt(5)?.name).toBe('vm-00005');
  expect(requests.map((u) => u.searchParams.get('offset'))).toEqual(['0']);
  expect(requests[0].pathname).toBe('/api/v1/vms');
  expect(requests[0].searchParams.get('sort')).toBe('name');
  expect(requests[0].searchParams.get('limit')).toBe('100');

  act(() => result.current.setRange({ first: 25_090, last: 25_112 }));
  await waitFor(() => expect(result.current.rowAt(25_111)?.name).toBe('vm-25111'));
  expect(result.current.rowAt(25_090)?.name).toBe('vm-25090');
  const offsets = requests.map((u) => Number(u.searchParams.get('offset'))).sort((a, b) => a - b);
  expect(offsets).toEqual([0, 25_000, 25_100]);
  const fetched = requests.reduce((n, u) => n + Number(u.searchParams.get('limit')), 0);
  expect(fetched).toBeLessThanOrEqual(300);
  // Rows of windows never requested are placeholders.
  expect(result.current.rowAt(40_000)).toBeUndefined();
});

it('debounces the scroll position so a fling does not request every window on the way', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  try {
    const { result } = renderHook(() => usePagedList('vms', {}, { debounceMs: 150 }), { wrapper });
    await waitFor(() => expect(result.current.total).toBe(TOTAL));
    for (let first = 1050; first < 30_000; first += 1000) {
      act(() => result.current.setRange({ first, last: first + 20 }));
      act(() => {
        vi.advanceTimersByTime(20);
      });
    }
    act(() => {
      vi.advanceTimersByTime(200);
    });
    await waitFor(() => expect(requests.length).toBe(2));
    expect(requests.map((u) => u.searchParams.get('offset'))).toEqual(['0', '29000']);
  } finally {
    vi.useRealTimers();
  }
});

it('passes on that the server estimated the total (large unfiltered lists)', async () => {
  serve(() => ({ items: [], total: 123_456, totalEstimated: true, limit: 100, offset: 0 }));
  const { result } = renderHook(() => usePagedList<{ id: string }>('vms', {}), { wrapper });
  await waitFor(() => expect(result.current.total).toBe(123_456));
  expect(result.current.totalEstimated).toBe(true);
});

it('corrects an estimated total with the exact end a window found, so no placeholder rows remain', async () => {
  const real = 49_950;
  serve((offset, limit) => {
    const n = Math.max(0, Math.min(limit, real - offset));
    const items = Array.from({ length: n }, (_, i) => ({ id: `vm-${offset + i}` }));
    // As the engine answers: the estimate while pages are full, the exact end in the last one.
    return n < limit && n > 0
      ? { items, total: offset + n, limit, offset }
      : { items, total: 50_400, totalEstimated: true, limit, offset };
  });
  const { result } = renderHook(() => usePagedList<{ id: string }>('vms', {}, { debounceMs: 0 }), {
    wrapper,
  });
  await waitFor(() => expect(result.current.total).toBe(50_400));
  expect(result.current.totalEstimated).toBe(true);
  act(() => result.current.setRange({ first: 49_880, last: 49_920 }));
  await waitFor(() => expect(result.current.total).toBe(real));
  expect(result.current.totalEstimated).toBe(false);
  expect(result.current.rowAt(real - 1)?.id).toBe(`vm-${real - 1}`);
});

it('keeps the largest estimate while the list goes on past the first one', () => {
  expect(reconcileTotal(1_000, [{ total: 1_500, totalEstimated: true }])).toEqual({
    total: 1_500,
    exact: false,
  });
  expect(reconcileTotal(1_000, [{ total: 1_500, totalEstimated: true }, { total: 1_234 }])).toEqual({
    total: 1_234,
    exact: true,
  });
});
