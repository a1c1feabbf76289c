import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, vi } from 'vitest';

/** For component tests that answer the portal's requests themselves: a JSON response. */
export const jsonResponse = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

/** Unmounts what a test rendered and puts the real `fetch` back after each test of the file. */
export function resetAfterEach(): void {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
}

/** Renders `ui` with a fresh query client that does not retry (a refused request shows at once). */
export function renderWithQueries(ui: ReactNode) {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      {ui}
    </QueryClientProvider>,
  );
}

/** A request the stubbed `fetch` received (`body`: a POST's text, else null). */
export interface StubbedCall {
  url: string;
  method: string;
  body: string | null;
}

/** Stubs `fetch` with `answer` (what to respond to each request) and records every request. */
export function recordingFetch(answer: (call: StubbedCall) => Response): StubbedCall[] {
  const calls: StubbedCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request | string, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input.url;
      const method = (typeof input === 'string' ? init?.method : input.method) ?? 'GET';
      const body =
        method === 'POST' ? (typeof input === 'string' ? String(init?.body) : await input.text()) : null;
      const call = { url, method, body };
      calls.push(call);
      return answer(call);
    }),
  );
  return calls;
}
