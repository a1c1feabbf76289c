import { ErrorCode, Permission } from '@kelpie/shared-types';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { ACCESS_KEY, AccessRule } from './access.decorator';
import { AccessService, forbidden } from './access.service';
import { Authenticator } from './authenticator';
import { assertSameOrigin } from './origin-check';
import { presentsMetricsToken } from './metrics-token';
import { setPrincipal } from '../common/identity/principal';
import { bindPrincipal } from '../common/identity/request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function accessRuleOf(reflector: Reflector, ctx: ExecutionContext): AccessRule | undefined {
  return reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
}

/**
 * The one gate of every HTTP route: reads the route's declaration (@Can / @CanList / @SignedIn /
 * @Public), authenticates the caller, checks Origin on state-changing requests and the permission on
 * the declared object. A route without a declaration is refused (500: a bug, caught by a test).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly access: AccessService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const rule = accessRuleOf(this.reflector, ctx);
    if (!rule)
      throw new DomainError(
        ErrorCode.Internal,
        `${req.method} ${req.route?.path ?? req.path} declares no access rule (@Can, @CanList, @SignedIn or @Public)`,
      );
    const allowed = this.config.auth.allowedOrigins;
    const trustProxy = this.config.auth.trustProxy.length > 0;
    if (rule.kind === 'public') {
      assertSameOrigin(req, allowed, { cookieSession: false, trustProxy });
      return true;
    }
    // The scrape token stands for `metrics.read` on the system and for nothing else.
    if (rule.permission === Permission.MetricsRead && presentsMetricsToken(req, this.config.metricsToken))
      return true;
    const principal = await this.authenticator.authenticate(req.headers, req.ip ?? null);
    assertSameOrigin(req, allowed, { cookieSession: principal.via === 'session', trustProxy });
    setPrincipal(req, principal);
    bindPrincipal(principal);
    if (rule.kind === 'signed-in') {
      // A read-only token only reads, even about its own user (no new tokens, no password change).
      if (principal.readOnly && !['GET', 'HEAD'].includes(req.method))
        throw forbidden(Permission.View, 'this route: the token is read-only');
      return true;
    }
    if (rule.on!.from === 'list') return true;
    const on = rule.on!;
    if (on.from === 'system') {
      await this.access.assert(principal, rule.permission!, 'system', null);
      return true;
    }
    const source = on.from === 'param' ? req.params : on.from === 'query' ? req.query : req.body;
    const raw = (source as Record<string, unknown> | undefined)?.[on.key];
    // A missing or malformed id is the route's own 400: only those allowed on the system get that far.
    const id = typeof raw === 'string' && UUID.test(raw) ? raw : null;
    await this.access.assert(principal, rule.permission!, id ? on.type : 'system', id);
    return true;
  }
}
