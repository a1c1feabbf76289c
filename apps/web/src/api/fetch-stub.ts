import { cleanup } from '@testing-library/react';
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
