import type { ApiErrorBody } from '@kelpie/shared-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

/** Fetches an engine API path; non-2xx responses become ApiError carrying the API's error body.
 * 503 is a normal answer of the health endpoint (degraded), so its body is returned as data. */
export async function apiGet<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    ...init,
    headers: { accept: 'application/json', ...init?.headers },
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok && res.status !== 503) throw new ApiError(res.status, body as ApiErrorBody | undefined);
  return body as T;
}
