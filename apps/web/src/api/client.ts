import type { ApiErrorBody, ApiPaths } from '@kelpie/shared-types';
import createClient from 'openapi-fetch';
import { humanizeApiText } from '../text/humanize';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.message ?? `HTTP ${status}`);
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

/**
 * openapi-fetch builds a `Request`; the engine is always this page's origin, so it is fetched by path
 * with a plain init: the same same-origin request the browser sent before (its Origin header is what
 * the engine's CSRF check reads), and what the component tests' fetch stubs see.
 */
async function sameOriginFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = hasBody ? await request.text() : '';
  return globalThis.fetch(`${url.pathname}${url.search}`, {
    // GET is fetch's default, left implicit as the portal always sent it.
    method: request.method === 'GET' ? undefined : request.method,
    headers: Object.fromEntries(request.headers.entries()),
    body: body || undefined,
  });
}

/** `a=1&b=x` from the defined, non-empty values, in a stable key order so URLs are predictable. */
export function sortedQuery(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const v = params[key];
    if (v === undefined || v === null || v === '') continue;
    search.set(key, String(v));
  }
  return search.toString();
}

/** The engine's API, typed by the paths of docs/openapi.json (generated: `pnpm gen:api`). */
export const api = createClient<ApiPaths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  headers: { accept: 'application/json' },
  querySerializer: sortedQuery,
  fetch: sameOriginFetch,
});

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}
/** What a 2xx answer of a typed call carries (`undefined` for 204). */
export type AnswerData<R extends Answer> = Exclude<R['data'], undefined>;

/**
 * The portal's finer view of an answer: shared-types' enum unions and typed JSON columns where the
 * OpenAPI document says only `string` or `object`. `read`/`send` accept it only when it refines the
 * published type (`T extends` the generated answer), so a field the engine drops or retypes fails the
 * portal's typecheck instead of reaching a page.
 */
export interface View<T> {
  readonly view?: T;
}
export const as = <T>(): View<T> => ({});

/**
 * The body of a 2xx answer; any other status throws ApiError carrying the API's error body. 503 is a
 * normal answer of the health endpoint (degraded), so with `dataOn503` its body is returned as data.
 */
export async function read<R extends Answer, T extends AnswerData<R> = AnswerData<R>>(
  call: Promise<R>,
  _view?: View<T>,
  opts: { dataOn503?: boolean } = {},
): Promise<T> {
  const r = await call;
  if (r.response.ok) return r.data as T;
  if (opts.dataOn503 && r.response.status === 503) return r.error as T;
  throw toError(r.response.status, r.error);
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

/** Spread into a typed call's options: the request's correlation id. */
export interface Correlated {
  headers: { 'x-correlation-id': string };
}

/**
 * A change (POST/PUT/PATCH/DELETE) through the typed client, stamped with a new correlation id; every
 * non-2xx answer throws ApiError with the API's message.
 */
export async function send<R extends Answer, T extends AnswerData<R> = AnswerData<R>>(
  call: (correlated: Correlated) => Promise<R>,
  _view?: View<T>,
): Promise<SendResult<T>> {
  const correlationId = newCorrelationId();
  let r: R;
  try {
    r = await call({ headers: { 'x-correlation-id': correlationId } });
  } catch (err) {
    throw new ApiError(0, { code: 'internal', message: `Engine unreachable: ${(err as Error).message}` });
  }
  if (!r.response.ok) throw toError(r.response.status, r.error);
  return { status: r.response.status, body: r.data as T, correlationId };
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return humanizeApiText(err.message);
  if (err instanceof Error) return err.message;
  return String(err);
}
