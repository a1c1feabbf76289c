import { ApiErrorDetail, ErrorCode, OidcLoginError } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';

/** A failed OpenID Connect login: the API error (status, message, field details) for a client that
 * asks for JSON, and the short code the login page turns into a sentence for a browser. */
export class OidcLoginFailure extends DomainError {
  constructor(
    readonly loginError: OidcLoginError,
    code: ErrorCode,
    message: string,
    details?: ApiErrorDetail[],
  ) {
    super(code, message, details);
  }
}

export const loginErrorOf = (err: unknown): OidcLoginError =>
  err instanceof OidcLoginFailure ? err.loginError : 'failed';
