import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type SendResult } from '../api/client';
import { ActivityProvider, useActivity } from './Activity';

afterEach(cleanup);

type Track = ReturnType<typeof useActivity>['track'];

function renderActivity(): { track: () => Track } {
  let api: Track | undefined;
  function Probe() {
    api = useActivity().track;
    return null;
  }
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ActivityProvider>
        <Probe />
      </ActivityProvider>
    </QueryClientProvider>,
  );
  return { track: () => api! };
}

const refused = (code: string) => new ApiError(409, { code, message: `refused: ${code}` } as never);
const failing = (err: unknown) => vi.fn(async (): Promise<SendResult<unknown>> => Promise.reject(err));

describe('the activity panel', () => {
  it('shows a refused request as failed, with the reason', async () => {
    const { track } = renderActivity();
    await act(async () => {
      await track()('Add host h1', failing(refused('conflict'))).catch(() => undefined);
    });
    expect(screen.getByRole('alert').textContent).toContain('refused: conflict');
  });

  it('drops an answer the dialog handles itself (the host key to confirm) instead of showing a failure', async () => {
    const { track } = renderActivity();
    const answered = (e: unknown) => e instanceof ApiError && e.body?.code === 'host_key_unconfirmed';
    let thrown: unknown;
    await act(async () => {
      await track()('Add host h1', failing(refused('host_key_unconfirmed')), answered).catch((e) => {
        thrown = e;
      });
    });
    expect(thrown).toBeInstanceOf(ApiError); // the dialog still gets it
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText('Add host h1')).toBeNull();
  });
});
