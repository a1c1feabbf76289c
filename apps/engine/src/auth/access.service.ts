import { ErrorCode, ObjectRef, Permission } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { ListType, ResolvableType } from './access.decorator';
import { AccessRepository, HeldGrant, TreeRef, VisibleIds } from './access.repository';
import type { Principal } from '../common/identity/request-context';

/** What a caller may see: everything (a `view` grant on the system), or these ids. */
export type Visibility = 'all' | VisibleIds;

const TREE_TYPES = new Set(['datacenter', 'cluster', 'host', 'storage_domain', 'network', 'vm']);

export const forbidden = (permission: Permission, what: string) =>
  new DomainError(ErrorCode.Forbidden, `permission ${permission} is required on ${what}`, [
    { reason: `missing permission ${permission}` },
  ]);

/**
 * Roles granted on objects, inherited downwards (oVirt's model): the permissions a caller holds on an
 * object are the union of the roles granted to them, or to a group of theirs, on the object or any of
 * its ancestors up to the system. A read-only token keeps `view` only.
 */
@Injectable()
export class AccessService {
  /** One evaluation per request: a principal object lives as long as its request. */
  private readonly grantCache = new WeakMap<Principal, Promise<HeldGrant[]>>();

  constructor(private readonly repo: AccessRepository) {}

  grants(p: Principal): Promise<HeldGrant[]> {
    let g = this.grantCache.get(p);
    if (!g) {
      g = this.repo.grantsOf(p.userId, p.groupIds);
      this.grantCache.set(p, g);
    }
    return g;
  }

  groupIdsOf(userId: string): Promise<string[]> {
    return this.repo.groupIdsOf(userId);
  }

  /** Permissions on the object of `type`/`id` (null id = the system). Unknown objects get the
   * system's permissions only: an admin then sees the route's own 404, anyone else a 403. */
  async permissionsOn(p: Principal, type: ResolvableType, id: string | null): Promise<Set<Permission>> {
    const grants = await this.grants(p);
    // The chain (1-3 statements) only matters to grants on objects: a caller holding system grants
    // alone, the admin, is answered without it.
    const onObjects = grants.some((g) => g.objectType !== 'system');
    const chain: TreeRef[] =
      type === 'system' || !id || !onObjects ? [] : ((await this.repo.chain(type, id)) ?? []);
    const held = new Set<Permission>();
    for (const g of grants) {
      const applies =
        g.objectType === 'system' || chain.some((c) => c.type === g.objectType && c.id === g.objectId);
      if (applies) g.permissions.forEach((perm) => held.add(perm));
    }
    if (p.readOnly) for (const perm of [...held]) if (perm !== Permission.View) held.delete(perm);
    return held;
  }

  async assert(p: Principal, permission: Permission, type: ResolvableType, id: string | null): Promise<void> {
    const held = await this.permissionsOn(p, type, id);
    if (!held.has(permission))
      throw forbidden(permission, type === 'system' ? 'the system' : `${type} ${id}`);
  }

  async visibility(p: Principal): Promise<Visibility> {
    const grants = await this.grants(p);
    if (grants.some((g) => g.objectType === 'system' && g.permissions.includes(Permission.View)))
      return 'all';
    return this.repo.visibleIds(grants);
  }

  /** May a caller with `vis` see this list item? Unknown shapes are hidden (fail closed). */
  static canSeeItem(vis: Visibility, type: ListType, item: Record<string, unknown>): boolean {
    if (vis === 'all') return true;
    const has = (t: keyof VisibleIds, id: unknown) => typeof id === 'string' && vis[t].has(id);
    switch (type) {
      case 'datacenter':
      case 'cluster':
      case 'host':
      case 'storage_domain':
      case 'network':
      case 'vm':
        return has(type, item.id);
      case 'disk':
        return has('vm', item.vmId) || (!item.vmId && has('storage_domain', item.storageDomainId));
      case 'nic':
      case 'snapshot':
      case 'migration':
        return has('vm', item.vmId);
      case 'task':
        return AccessService.canSeeRefs(vis, item.target ? [item.target as ObjectRef] : []);
      case 'event':
        return AccessService.canSeeRefs(vis, (item.refs as ObjectRef[] | undefined) ?? []);
      default:
        return false;
    }
  }

  /** An event or stream message. When it names VMs, the caller must see every one of them (a VM user
   * sees their VM's status although its host is not theirs); otherwise every object of the tree it
   * names. A message naming nothing of the tree is shown to those who see everything only. */
  static canSeeRefs(vis: Visibility, refs: readonly ObjectRef[]): boolean {
    if (vis === 'all') return true;
    const judged = AccessService.judgedRefs(refs);
    return judged.length > 0 && judged.every((r) => vis[r.type as keyof VisibleIds].has(r.id));
  }

  /** The references that decide whether a message may be seen (see canSeeRefs). */
  static judgedRefs(refs: readonly ObjectRef[]): ObjectRef[] {
    const vms = refs.filter((r) => r.type === 'vm');
    return vms.length ? vms : refs.filter((r) => TREE_TYPES.has(r.type));
  }
}
