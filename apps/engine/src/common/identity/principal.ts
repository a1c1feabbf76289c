import type { Request } from 'express';
import type { Principal } from './request-context';

const KEY = Symbol('kelpie.principal');

export function principalOf(req: object): Principal | undefined {
  return (req as { [KEY]?: Principal })[KEY];
}

export function setPrincipal(req: Request | object, p: Principal): void {
  (req as { [KEY]?: Principal })[KEY] = p;
}
