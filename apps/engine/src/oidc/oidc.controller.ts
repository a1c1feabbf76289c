import {
  ErrorCode,
  LOGIN_ERROR_PARAM,
  LOGIN_PATH,
  LoginProviders,
  OIDC_STATE_COOKIE,
} from '@kelpie/shared-types';
import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorator';
import { AccessService } from '../auth/access.service';
import { cookieValue } from '../auth/authenticator';
import { sessionPrincipal, setSessionCookie } from '../auth/session-cookie';
import { UserEntity } from '../auth/auth.entities';
import { DomainError } from '../common/errors/domain-error';
import { HTTP_STATUS_BY_CODE } from '../common/errors/http-status';
import { ApiErrors } from '../common/http/openapi';
import { bindPrincipal } from '../common/identity/request-context';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { OidcService } from './oidc.service';
import { PENDING_LOGIN_TTL_MS } from './oidc-state.store';
import { loginErrorOf } from './login-failure';

const OIDC_LOGIN_PATH = '/api/v1/auth/oidc/login';
/** The state cookie goes back only to the callback. */
const STATE_COOKIE_PATH = '/api/v1/auth/oidc';

/** Login through an OpenID Connect provider: the browser leaves from `login` and comes back to
 * `callback` with a code, which becomes the usual session cookie. */
@ApiTags('auth')
@Controller('auth')
export class OidcController {
  private readonly logger = new Logger('OIDC');

  constructor(
    private readonly oidc: OidcService,
    private readonly access: AccessService,
    private readonly events: EventsService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  @Get('providers')
  @Public()
  @ApiOperation({ summary: 'How one may log in here (the login page asks before anyone is logged in)' })
  providers(): LoginProviders {
    const s = this.oidc.settings;
    return { local: true, oidc: s ? { name: s.providerName, loginUrl: OIDC_LOGIN_PATH } : null };
  }

  @Get('oidc/login')
  @Public()
  @ApiOperation({
    summary: 'Start an OpenID Connect login: redirects the browser to the identity provider',
    description:
      "The state, nonce and PKCE verifier stay on the engine for 10 minutes. On failure a browser is sent (303) to the portal's login page with `?login_error=<code>`; a client that accepts only JSON gets 404 when not configured, 502 when the provider is out of reach.",
  })
  @ApiFoundResponse({ description: 'To the identity provider' })
  @ApiResponse({ status: 303, description: "To the portal's login page with the reason's code" })
  @ApiErrors(404, 502)
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    let begun: { url: string; state: string };
    try {
      begun = await this.oidc.begin();
    } catch (err) {
      return this.answerFailure(err, req, res);
    }
    const { url, state } = begun;
    // SameSite=Lax: the browser comes back from the provider by a top-level cross-site GET.
    res.cookie(OIDC_STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: STATE_COOKIE_PATH,
      maxAge: PENDING_LOGIN_TTL_MS,
    });
    res.redirect(302, url);
  }

  @Get('oidc/callback')
  @Public()
  @ApiOperation({
    summary:
      'Where the identity provider sends the browser back: opens a session and redirects to the portal',
    description:
      "On failure a browser is sent (303) to the portal's login page with `?login_error=<code>`. A client that accepts only JSON gets: 400 when the state is not the one this browser left with (or is used or expired); 401 when the provider refused or its answer fails validation; 409 when the username belongs to a local user; 502 when the provider is out of reach.",
  })
  @ApiResponse({ status: 303, description: "To the portal's login page with the reason's code" })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'code', required: false })
  @ApiFoundResponse({ description: 'To the portal, with the session cookie' })
  @ApiErrors(400, 401, 404, 409, 502)
  async callback(@Query('state') state: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const address = req.ip ?? 'unknown';
    res.clearCookie(OIDC_STATE_COOKIE, {
      path: STATE_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
    });
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let user: UserEntity;
    try {
      user = await this.oidc.complete(query, state, cookieValue(req.headers.cookie, OIDC_STATE_COOKIE));
    } catch (err) {
      await this.auditRefusal(err, address);
      return this.answerFailure(err, req, res);
    }
    const cookie = await this.oidc.openSession(user, address);
    setSessionCookie(req, res, cookie, this.config.auth.sessionMaxMs);
    bindPrincipal(sessionPrincipal(user, await this.access.groupIdsOf(user.id), address));
    await this.events.record({
      type: 'user.login',
      message: `${user.username} logged in with ${this.oidc.settings!.providerName} from ${address}`,
    });
    res.redirect(302, '/');
  }

  private async auditRefusal(err: unknown, address: string): Promise<void> {
    if (err instanceof DomainError && err.code === ErrorCode.Unauthorized)
      await this.events.record({
        type: 'user.login-failed',
        severity: 'warning',
        message: `failed OpenID Connect login from ${address}: ${err.message}`,
      });
  }

  /**
   * A browser back from the provider is a person: it gets the portal's login page with a short code
   * the page turns into a sentence (303: the page is fetched with GET whatever came before). The
   * provider's own words and our detailed message stay in the log and the audit, never in the URL.
   * A client that asks for JSON (`Accept: application/json` — a script or a test driving the flow)
   * gets the API's error body with its field details, through the one error filter, as any route.
   */
  private answerFailure(err: unknown, req: Request, res: Response): void {
    if (req.accepts(['html', 'json']) === 'json') throw err;
    const code = loginErrorOf(err);
    const status = err instanceof DomainError ? HTTP_STATUS_BY_CODE[err.code] : 500;
    const line = `OpenID Connect login failed (${code}): ${err instanceof Error ? err.message : String(err)}`;
    // As the error filter would: a refused login is an expected answer, an unknown failure a bug.
    if (code === 'failed') this.logger.error(err instanceof Error ? (err.stack ?? line) : line);
    else if (status >= 500) this.logger.warn(line);
    else this.logger.log(line);
    res.redirect(303, `${LOGIN_PATH}?${LOGIN_ERROR_PARAM}=${code}`);
  }
}
