import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { Permission } from '@kelpie/shared-types';
import { AccessService, forbidden } from './access.service';
import { accessRuleOf } from './auth.guard';
import { principalOf } from '../common/identity/principal';

/**
 * Lists (@CanList) hold only what the caller may see. Callers who see everything (a `view` grant on
 * the system) get the page as the service built it; others get it filtered, with `total` counting
 * what they see of this page (the database-side filter that would page them exactly is future work).
 */
@Injectable()
export class VisibilityInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rule = ctx.getType() === 'http' ? accessRuleOf(this.reflector, ctx) : undefined;
    if (rule?.on?.from !== 'list') return next.handle();
    const type = rule.on.type;
    const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            if (!principal) return body;
            const vis = await this.access.visibility(principal);
            if (vis === 'all') return body;
            const keep = (items: unknown[]) =>
              items.filter((i) => AccessService.canSeeItem(vis, type, i as Record<string, unknown>));
            if (Array.isArray(body)) return keep(body);
            const page = body as { items?: unknown[]; total?: number; totalEstimated?: boolean };
            if (!Array.isArray(page?.items)) {
              // One item of a listed kind (GET events/{id}): shown only if it would be in the list.
              if (body && typeof body === 'object' && !keep([body]).length)
                throw forbidden(Permission.View, `this ${type}`);
              return body;
            }
            const items = keep(page.items);
            return { ...page, items, total: items.length, totalEstimated: false };
          })(),
        ),
      ),
    );
  }
}
