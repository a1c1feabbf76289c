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
  /** No valid session or API token: log in (401). */
  Unauthorized: 'unauthorized',
  /** Authenticated, but the caller's roles do not grant this permission on this object (403). */
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  InvalidState: 'invalid_state',
  HasChildren: 'has_children',
  Unprocessable: 'unprocessable',
  /** Too many requests (rate limit) or live-stream subscribers from one client: retry later. */
  RateLimited: 'rate_limited',
  HostUnavailable: 'host_unavailable',
  /** A host's SSH key has not been confirmed by the admin yet: the details carry its fingerprint. */
  HostKeyUnconfirmed: 'host_key_unconfirmed',
  /** The engine's own database is unreachable for now (a restart, a failover): retry shortly. */
  DatabaseUnavailable: 'database_unavailable',
  /** The OpenID Connect provider could not be reached or answered out of protocol: retry later. */
  IdentityProviderUnavailable: 'identity_provider_unavailable',
  Timeout: 'timeout',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
