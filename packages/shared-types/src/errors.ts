/** The one error shape every API error has. `code` is a stable domain code; `details` lists the
 * offending fields (validation) or the objects that block an action (conflicts). */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: ApiErrorDetail[];
}

export interface ApiErrorDetail {
  field?: string;
  reason: string;
  ref?: { type: string; id: string; name?: string };
}

export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  NotFound: 'not_found',
  Conflict: 'conflict',
  InvalidState: 'invalid_state',
  HasChildren: 'has_children',
  Unprocessable: 'unprocessable',
  /** Too many requests (rate limit) or live-stream subscribers from one client: retry later. */
  RateLimited: 'rate_limited',
  HostUnavailable: 'host_unavailable',
  /** The engine's own database is unreachable for now (a restart, a failover): retry shortly. */
  DatabaseUnavailable: 'database_unavailable',
  Timeout: 'timeout',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
