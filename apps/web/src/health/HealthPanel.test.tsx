import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { HealthPanel } from './HealthPanel';

afterEach(() => vi.unstubAllGlobals());

it('shows each dependency and the reason one is down', async () => {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            status: 'degraded',
            version: '0.1.0',
            postgres: { status: 'up', latencyMs: 1.2 },
            redis: {
              status: 'down',
              message: 'Redis at redis://127.0.0.1:1 is unreachable: connect ECONNREFUSED',
            },
          }),
          { status: 503 },
        ),
    ),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <HealthPanel />
    </QueryClientProvider>,
  );
  expect(await screen.findByText('Engine degraded')).toBeTruthy();
  expect(screen.getByLabelText('PostgreSQL up')).toBeTruthy();
  expect(screen.getByText(/ECONNREFUSED/)).toBeTruthy();
});
