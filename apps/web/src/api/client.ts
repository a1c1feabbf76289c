import type { ApiErrorBody } from '@kelpie/shared-types';
import { humanizeApiText } from '../text/humanize';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

export type QueryValue = string | number | boolean | undefined | null;
export type QueryParams = Record<string, QueryValue>;

/** `?a=1&b=x` from the defined, non-empty values (in a stable key order so URLs are predictable). */
export function queryString(params: QueryParams | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const v = params[key];
    if (v === undefined || v === null || v === '') continue;
    search.set(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

async function parse(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Fired when the engine answers 401: the session ended (logout elsewhere, expiry); the portal shows
 * the login page again. */
export const UNAUTHORIZED_EVENT = 'kelpie:unauthorized';

function toError(status: number, body: unknown): ApiError {
  if (status === 401 && typeof window !== 'undefined') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const b = body as Partial<ApiErrorBody> | undefined;
  if (b && typeof b.message === 'string') return new ApiError(status, b as ApiErrorBody);
  return new ApiError(status, undefined);
}

/** Fetches an engine API path; non-2xx responses become ApiError carrying the API's error body.
 * 503 is a normal answer of the health endpoint (degraded), so its body is returned as data. */
export async function apiGet<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    ...init,
    headers: { accept: 'application/json', ...init?.headers },
  });
  const body = await parse(res);
  if (!res.ok && res.status !== 503) throw toError(res.status, body);
  return body as T;
}

export interface SendResult<T> {
  status: number;
  body: T;
  correlationId: string;
}

let counter = 0;
/** A correlation id the engine stamps on the tasks and events a request causes. */
export function newCorrelationId(): string {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 10);
  return `web-${Date.now().toString(36)}-${counter}-${rand}`;
}

/** POST/PATCH/DELETE with a JSON body; every non-2xx answer throws ApiError with the API's message. */
export async function apiSend<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
): Promise<SendResult<T>> {
  const correlationId = newCorrelationId();
  const headers: Record<string, string> = { accept: 'application/json', 'x-correlation-id': correlationId };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, { code: 'internal', message: `Engine unreachable: ${(err as Error).message}` });
  }
  const parsed = await parse(res);
  if (!res.ok) throw toError(res.status, parsed);
  return { status: res.status, body: parsed as T, correlationId };
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return humanizeApiText(err.message);
  if (err instanceof Error) return err.message;
  return String(err);
}
