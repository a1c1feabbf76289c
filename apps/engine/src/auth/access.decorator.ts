import { Permission } from '@kelpie/shared-types';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension } from '@nestjs/swagger';

/** Objects a permission can be checked on: the tree's own kinds, and children resolved to their parent
 * (a disk, NIC or snapshot to its VM, a task to its target, a migration to its VM). */
export type ResolvableType =
  | 'system'
  | 'datacenter'
  | 'cluster'
  | 'host'
  | 'storage_domain'
  | 'network'
  | 'vm'
  | 'disk'
  | 'nic'
  | 'snapshot'
  | 'task'
  | 'migration';

/** Where the guard finds the object a route acts on. */
export type ObjectSource =
  | { from: 'system' }
  | { from: 'param' | 'body' | 'query'; type: ResolvableType; key: string }
  /** A list: any signed-in caller may ask; the answer holds only the objects they may see. */
  | { from: 'list'; type: ListType };

export type ListType = ResolvableType | 'event';

export interface AccessRule {
  /** `public`: no authentication (health, login). `signed-in`: any authenticated caller, no object. */
  kind: 'permission' | 'public' | 'signed-in';
  permission?: Permission;
  on?: ObjectSource;
}

export const ACCESS_KEY = 'kelpie:access';

export const on = {
  system: { from: 'system' } as ObjectSource,
  param: (type: ResolvableType, key = 'id'): ObjectSource => ({ from: 'param', type, key }),
  body: (type: ResolvableType, key: string): ObjectSource => ({ from: 'body', type, key }),
  query: (type: ResolvableType, key: string): ObjectSource => ({ from: 'query', type, key }),
  list: (type: ListType): ObjectSource => ({ from: 'list', type }),
};

/**
 * The one declaration every route makes: which permission it needs on which object, e.g.
 * `@Can(Permission.VmPower, on.param('vm'))`. The global AuthGuard refuses a route without one
 * (and a test lists the routes that lack it). The rule is also written into the OpenAPI operation
 * (`x-kelpie-access`) so clients and the route-matrix test can read it.
 */
export function Can(permission: Permission, object: ObjectSource): MethodDecorator {
  return declare({ kind: 'permission', permission, on: object });
}

/** Lists: every signed-in caller; the items are filtered to what they may see. */
export function CanList(type: ListType): MethodDecorator {
  return declare({ kind: 'permission', permission: Permission.View, on: on.list(type) });
}

/** No authentication at all: health probes and the login itself. */
export function Public(): MethodDecorator {
  return declare({ kind: 'public' });
}

/** Any authenticated caller, about themselves (their session, their tokens, their password). */
export function SignedIn(): MethodDecorator {
  return declare({ kind: 'signed-in' });
}

function declare(rule: AccessRule): MethodDecorator {
  const decorators = [SetMetadata(ACCESS_KEY, rule), ApiExtension('x-kelpie-access', describe(rule))];
  if (rule.kind !== 'public') decorators.push(ApiBearerAuth(), ApiCookieAuth());
  return applyDecorators(...decorators) as MethodDecorator;
}

function describe(rule: AccessRule): Record<string, unknown> {
  if (rule.kind !== 'permission') return { kind: rule.kind };
  const o = rule.on!;
  return {
    kind: o.from === 'list' ? 'list' : 'permission',
    permission: rule.permission,
    object: o.from === 'system' ? 'system' : o.type,
    ...(o.from === 'system' || o.from === 'list' ? {} : { [o.from]: o.key }),
  };
}
