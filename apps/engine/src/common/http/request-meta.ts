import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';

/** Who asked and which correlation id ties the resulting tasks and events together. */
export interface RequestMeta {
  actor: string;
  correlationId: string;
}

const SAFE = /^[A-Za-z0-9_.@:-]{1,64}$/;

export function requestMetaFrom(req: Request): RequestMeta {
  const user = req.header('x-kelpie-user');
  const corr = req.header('x-correlation-id');
  return {
    // No authentication yet (a later issue): the header is informative only.
    actor: user && SAFE.test(user) ? user : 'admin',
    correlationId: corr && SAFE.test(corr) ? corr : randomUUID(),
  };
}

export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaFrom(ctx.switchToHttp().getRequest<Request>()),
);

export const SYSTEM_META: RequestMeta = { actor: 'system', correlationId: 'system' };
