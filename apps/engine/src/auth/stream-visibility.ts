import { Permission, type ObjectRef, type StreamMessage } from '@kelpie/shared-types';
import type { ResolvableType } from './access.decorator';
import { AccessService, Visibility } from './access.service';
import type { Principal } from '../common/identity/request-context';

/** How long one connection trusts what it learnt about an object (grants changed since, a VM moved
 * to another cluster): afterwards it asks again. */
const DECISION_TTL_MS = 30_000;
const MAX_DECISIONS = 10_000;

/**
 * Which live-stream messages one connection may receive. The ids the caller may see are read when
 * it opens; an object not among them (created since, or not theirs) is looked up once through the
 * tree and the answer kept for a while, so a VM just created in their cluster shows up at once and
 * another cluster's VMs never do, without a query per message.
 */
export class StreamVisibility {
  private readonly vis: Promise<Visibility | null>;
  private readonly decisions = new Map<string, { visible: boolean; at: number }>();

  constructor(
    private readonly access: AccessService,
    private readonly principal: Principal,
  ) {
    this.vis = access.visibility(principal).catch(() => null);
  }

  async canSee(m: StreamMessage): Promise<boolean> {
    const vis = await this.vis;
    if (vis === 'all') return true;
    const judged = AccessService.judgedRefs(m.refs);
    if (!judged.length) return false;
    for (const ref of judged) if (!(await this.visible(vis, ref))) return false;
    return true;
  }

  private async visible(vis: Visibility | null, ref: ObjectRef): Promise<boolean> {
    if (vis && vis !== 'all' && vis[ref.type as Exclude<keyof typeof vis, never>]?.has(ref.id)) return true;
    const key = `${ref.type}:${ref.id}`;
    const known = this.decisions.get(key);
    if (known && Date.now() - known.at < DECISION_TTL_MS) return known.visible;
    // A fresh principal object: the grant cache is per principal, and this one outlives its request.
    const held = await this.access
      .permissionsOn({ ...this.principal }, ref.type as ResolvableType, ref.id)
      .catch(() => new Set<Permission>());
    const visible = held.has(Permission.View);
    if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
    this.decisions.set(key, { visible, at: Date.now() });
    return visible;
  }
}
