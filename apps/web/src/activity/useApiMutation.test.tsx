import type { Task } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { api, send } from '../api/client';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { useApiMutation } from './useApiMutation';

resetAfterEach();

const task = (patch: Partial<Task>) =>
  ({ id: 't-1', type: 'vm.disk.attach', status: 'running', progress: 10, ...patch }) as Task;

function setup(waitTask: boolean) {
  const qc = new QueryClient();
  const invalidate = vi.spyOn(qc, 'invalidateQueries');
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  );
  const hook = renderHook(
    () =>
      useApiMutation<void, Task>({
        label: () => 'Add disk',
        send: () =>
          send((c) =>
            api.POST('/api/v1/vms/{id}/disks', {
              params: { path: { id: 'v-1' } },
              body: { storageDomainId: 'sd-1', sizeGiB: 1 },
              ...c,
            }),
          ),
        invalidates: ['disks', 'vms'],
        waitTask,
      }),
    { wrapper },
  );
  return { hook, invalidate };
}

describe('useApiMutation', () => {
  it('waits for the answered task and invalidates the collections it changed', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse(202, task({})))
      .mockResolvedValueOnce(jsonResponse(200, task({ status: 'succeeded', progress: 100 })));
    vi.stubGlobal('fetch', fetchMock);
    const { hook, invalidate } = setup(true);
    let res: Awaited<ReturnType<typeof hook.result.current.mutateAsync>> | undefined;
    await act(async () => {
      res = await hook.result.current.mutateAsync();
    });
    expect(res!.body.status).toBe('succeeded');
    expect(String(fetchMock.mock.calls[1][0])).toBe('/api/v1/tasks/t-1?wait=20000');
    expect(invalidate.mock.calls.map((c) => c[0]?.queryKey)).toEqual([['disks'], ['vms']]);
  });

  it('a task that fails rejects with its reason (the dialog stays open and says why); busy while it runs', async () => {
    let finish!: (r: Response) => void;
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse(202, task({})))
      .mockReturnValueOnce(new Promise<Response>((r) => (finish = r)));
    vi.stubGlobal('fetch', fetchMock);
    const { hook, invalidate } = setup(true);
    act(() => hook.result.current.mutate());
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(hook.result.current.isPending).toBe(true);
    finish(
      jsonResponse(
        200,
        task({ status: 'failed', errorMessage: 'unable to execute QEMU command device_add' }),
      ),
    );
    await waitFor(() => expect(hook.result.current.isError).toBe(true));
    expect((hook.result.current.error as Error).message).toBe('unable to execute QEMU command device_add');
    expect(invalidate).toHaveBeenCalled();
  });
});
