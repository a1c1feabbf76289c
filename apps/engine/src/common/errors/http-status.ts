import { ErrorCode } from '@kelpie/shared-types';

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  has_children: 409,
  unprocessable: 422,
  rate_limited: 429,
  host_unavailable: 503,
  host_key_unconfirmed: 409,
  database_unavailable: 503,
  identity_provider_unavailable: 502,
  timeout: 504,
  internal: 500,
};

export const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.ValidationFailed,
  415: ErrorCode.ValidationFailed,
  422: ErrorCode.Unprocessable,
  429: ErrorCode.RateLimited,
};
