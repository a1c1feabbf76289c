import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { useHostAction, type HostAction } from './hostActionsApi';

resetAfterEach();

function setup(answer: Response) {
  const fetchMock = vi.fn(async () => answer);
  vi.stubGlobal('fetch', fetchMock);
  const qc = new QueryClient();
  const invalidate = vi.spyOn(qc, 'invalidateQueries');
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  );
  const hook = renderHook(() => useHostAction({ id: 'h-1', name: 'lab-h1' }), { wrapper });
  return { hook, fetchMock, invalidate };
}

describe('host actions (useApiMutation)', () => {
  it.each<[HostAction, string]>([
    ['maintenance', '/api/v1/hosts/h-1/maintenance'],
    ['activate', '/api/v1/hosts/h-1/activate'],
    ['confirm-rebooted', '/api/v1/hosts/h-1/confirm-rebooted'],
  ])('%s posts to %s with a correlation id and refreshes hosts, VMs and tasks', async (action, path) => {
    const { hook, fetchMock, invalidate } = setup(jsonResponse(202, { id: 't-1', status: 'queued' }));
    await act(async () => {
      await hook.result.current.mutateAsync(action);
    });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(path);
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['x-correlation-id']).toMatch(/^web-/);
    expect(invalidate.mock.calls.map((c) => c[0]?.queryKey)).toEqual([['hosts'], ['vms'], ['tasks']]);
  });

  it('a refusal rejects with the API error (the confirm dialog stays open and says why)', async () => {
    const { hook } = setup(
      jsonResponse(409, { code: 'invalid_state', message: 'host lab-h1 is non_responsive' }),
    );
    let error: unknown;
    await act(async () => {
      await hook.result.current.mutateAsync('maintenance').catch((e: unknown) => (error = e));
    });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).message).toBe('host lab-h1 is non_responsive');
    expect(hook.result.current.isError).toBe(true);
  });
});
