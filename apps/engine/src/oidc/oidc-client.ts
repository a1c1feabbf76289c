import { ErrorCode, OidcLoginError } from '@kelpie/shared-types';
import type * as OpenId from 'openid-client';
import { DomainError } from '../common/errors/domain-error';
import { OidcLoginFailure } from './login-failure';
import { isLoopbackUrl, OidcConfig } from '../config/oidc';

type OpenIdModule = typeof OpenId;

/**
 * openid-client is an ES module only and the engine is CommonJS. With `module: node20` TypeScript
 * keeps `import()` as a real dynamic import in the CommonJS output (it does not turn it into
 * `require`), so Node loads the ES module as one; no `new Function('return import(…)')` is needed,
 * and jest (which compiles the package to CommonJS) still sees a plain `import()` it can follow.
 */
const loadOpenId = (): Promise<OpenIdModule> => import('openid-client');

/** What a browser must bring back to finish its login: kept server-side under `state`. */
export interface PendingLogin {
  codeVerifier: string;
  nonce: string;
}

/** The claims of one completed login: the id_token's, completed by the UserInfo endpoint's. */
export type LoginClaims = Record<string, unknown> & { sub: string; iss: string };

/** The relying party: the provider's metadata (discovered once, again after a failure), the
 * authorization request, and the code exchange with every check openid-client makes (state, nonce,
 * PKCE, issuer, audience, signature, expiry). */
export class OidcClient {
  private discovered?: Promise<OpenId.Configuration>;

  constructor(private readonly config: OidcConfig) {}

  async authorizationUrl(state: string): Promise<{ url: string; pending: PendingLogin }> {
    const [oc, server] = await Promise.all([loadOpenId(), this.server()]);
    const pending = { codeVerifier: oc.randomPKCECodeVerifier(), nonce: oc.randomNonce() };
    const url = oc.buildAuthorizationUrl(server, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      response_type: 'code',
      code_challenge: await oc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** `callbackQuery`: the query string the provider sent the browser back with. */
  async complete(callbackQuery: string, state: string, pending: PendingLogin): Promise<LoginClaims> {
    const [oc, server] = await Promise.all([loadOpenId(), this.server()]);
    const current = new URL(this.config.redirectUri);
    current.search = callbackQuery;
    try {
      const tokens = await oc.authorizationCodeGrant(server, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      // Many providers put groups and profile claims in UserInfo only (not in the id_token of a code flow).
      const info = server.serverMetadata().userinfo_endpoint
        ? await oc.fetchUserInfo(server, tokens.access_token, idClaims.sub)
        : {};
      return { ...info, ...idClaims } as LoginClaims;
    } catch (err) {
      throw translate(oc, err);
    }
  }

  private server(): Promise<OpenId.Configuration> {
    this.discovered ??= loadOpenId().then((oc) =>
      oc
        .discovery(
          new URL(this.config.issuer),
          this.config.clientId,
          undefined,
          oc.ClientSecretBasic(this.config.clientSecret.reveal()),
          // Plain http only for a provider on this machine (the configuration refuses it elsewhere).
          isLoopbackUrl(new URL(this.config.issuer)) ? { execute: [oc.allowInsecureRequests] } : undefined,
        )
        .catch((err: unknown) => {
          this.discovered = undefined;
          throw unavailable(`its discovery document could not be read: ${messageOf(err)}`);
        }),
    );
    return this.discovered;
  }
}

/** The provider refused or the answer failed a check: the login is refused (401), nothing more. A
 * provider out of reach is a 502, the one answer that says "retry later". */
function translate(oc: OpenIdModule, err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof oc.AuthorizationResponseError)
    return refused(
      err.error === 'access_denied' ? 'access_denied' : 'provider_refused',
      `the identity provider refused the login: ${err.error}`,
      'error',
    );
  if (err instanceof oc.ResponseBodyError)
    return refused(
      'provider_refused',
      `the identity provider refused the code exchange: ${err.error}`,
      'code',
    );
  if (isNetworkFailure(err) || (err instanceof oc.ClientError && isNetworkFailure(err.cause)))
    return unavailable(messageOf(err instanceof oc.ClientError ? err.cause : err));
  // A check of the answer failed (signature, nonce, issuer, audience, expiry...).
  return refused(
    'invalid_answer',
    `the identity provider's answer failed validation: ${messageOf(err)}`,
    'code',
  );
}

/** fetch's failures (refused, reset, timed out), known by name: fetch's TypeError may come from
 * another realm than ours (it does under jest), where `instanceof TypeError` is false and
 * openid-client then wraps it in a ClientError. */
const isNetworkFailure = (err: unknown) =>
  ['TypeError', 'AbortError', 'TimeoutError'].includes((err as { name?: string } | undefined)?.name ?? '');

const refused = (loginError: OidcLoginError, message: string, field: string) =>
  new OidcLoginFailure(loginError, ErrorCode.Unauthorized, message, [{ field, reason: 'rejected' }]);

const unavailable = (why: string) =>
  new OidcLoginFailure(
    'provider_unavailable',
    ErrorCode.IdentityProviderUnavailable,
    `the identity provider is unavailable: ${why}`,
  );

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);
