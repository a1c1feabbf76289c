import { STORAGE_POOL_PREFIX, type PoolSecret, type PoolSpec, type PoolState } from '@kelpie/shared-types';
import { VirshError, type VirshRunner } from '../process';
import { parseKeyValueLines, parseLines } from '../mapping/parsers';
import { buildPoolSecretXml, buildPoolXml } from '../xml/pool-builder';
import { parseXml, node, text, attr } from '../mapping/xml';
import { withXmlFile } from './xml-file';

/** Pools the engine made for storage domains: `kelpie-<domain uuid>` (not the lab's `kelpie-shared`,
 * nor pools an admin made by hand). */
const DOMAIN_POOL = new RegExp(
  `^${STORAGE_POOL_PREFIX}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
);
export const isDomainPool = (name: string) => DOMAIN_POOL.test(name);

const sameDirectory = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** Pool types whose target is a directory every host of the domain sees (a file system). */
const DIRECTORY_POOLS = new Set(['dir', 'netfs', 'fs']);

const isMissingPool = (e: unknown) =>
  e instanceof VirshError && /Storage pool not found|no storage pool with matching/i.test(e.message);

const isBusy = (e: unknown) => e instanceof VirshError && /has asynchronous jobs running/i.test(e.message);

const isStillActive = (e: unknown) => e instanceof VirshError && /is still active/i.test(e.message);

const REMOVE_ATTEMPTS = 5;
const REMOVE_RETRY_MS = 300;

/** libvirt's own words for why a pool call failed, without virsh's `error:` prefixes. */
const reasonOf = (e: unknown) =>
  (e instanceof VirshError ? (e.details.stderr ?? e.message) : String(e))
    .split('\n')
    .map((l) => l.replace(/^error:\s*/, '').trim())
    .filter(Boolean)
    .join('; ')
    .slice(0, 1000) || 'pool operation failed';

/** `pool-info --bytes`: running or not, capacity and available bytes. */
export function parsePoolInfo(out: string): {
  active: boolean;
  capacity: number | null;
  available: number | null;
} {
  const kv = parseKeyValueLines(out);
  const bytes = (k: string) => (kv[k] !== undefined && /^\d+$/.test(kv[k]) ? Number(kv[k]) : null);
  return { active: kv.State === 'running', capacity: bytes('Capacity'), available: bytes('Available') };
}

/** From `virsh secret-list` (`UUID  iscsi <target>` or `UUID  ceph <name>` rows): the UUID of the
 * secret Kelpie defined for `pool`. */
export function secretUuidFor(list: string, pool: string): string | null {
  for (const line of list.split('\n')) {
    const [uuid, type, target] = line.trim().split(/\s+/);
    if ((type === 'iscsi' || type === 'ceph') && target === pool && uuid && /^[0-9a-f-]{36}$/.test(uuid))
      return uuid;
  }
  return null;
}

/** The storage domains' pools on this host: define from a spec, start, check, remove. */
export class PoolOperations {
  constructor(private readonly virsh: VirshRunner) {}

  async names(): Promise<string[]> {
    return parseLines((await this.virsh.run(['pool-list', '--all', '--name'])).stdout);
  }

  /** Defines (or redefines) the pool, builds it when asked, starts it and sets autostart. A pool
   * that does not start is reported with libvirt's reason, not thrown: the engine records it per host. */
  async activate(spec: PoolSpec, secret?: PoolSecret): Promise<PoolState> {
    if (secret) await this.defineSecret(secret);
    if (spec.type === 'dir') {
      const taken = await this.takeOverDirectory(spec.name, spec.path);
      if (taken)
        return { name: spec.name, active: false, capacityBytes: null, availableBytes: null, error: taken };
    }
    // Idempotent: activating a pool already defined (an adopting engine asking again) redefines it.
    const uuid = await this.uuidOf(spec.name);
    await withXmlFile(buildPoolXml(spec, uuid), (file) => this.virsh.run(['pool-define', '--file', file]));
    await this.virsh.run(['pool-autostart', '--pool', spec.name]);
    const info = await this.info(spec.name);
    if (!info.active) {
      try {
        if (spec.type !== 'dir' || spec.build) await this.virsh.run(['pool-build', '--pool', spec.name]);
        await this.virsh.run(['pool-start', '--pool', spec.name]);
      } catch (e) {
        return this.state(spec.name, reasonOf(e));
      }
    }
    return this.check(spec.name);
  }

  /** The periodic check: a stopped pool is started again (its storage may be back), a running one
   * refreshed, which is what notices a vanished directory (libvirt stops a pool whose refresh fails). */
  async check(name: string): Promise<PoolState> {
    try {
      const { active } = await this.info(name);
      await this.virsh.run(['pool-' + (active ? 'refresh' : 'start'), '--pool', name]);
      return await this.state(name, null);
    } catch (e) {
      // A volume being created or cloned holds the pool: libvirt refuses the refresh, the pool runs.
      if (isBusy(e)) return this.state(name, null);
      return this.state(name, reasonOf(e)).catch(() => ({
        name,
        active: false,
        capacityBytes: null,
        availableBytes: null,
        error: reasonOf(e),
      }));
    }
  }

  async isActive(name: string): Promise<boolean> {
    return (await this.info(name).catch(() => ({ active: false }))).active;
  }

  /** The directory a file-system pool serves (where the host lease records go), or null for
   * block pools (iSCSI LUNs). */
  async directoryOf(name: string): Promise<string | null> {
    const pool = node(parseXml((await this.virsh.run(['pool-dumpxml', '--pool', name])).stdout).pool);
    if (!DIRECTORY_POOLS.has(attr(pool, 'type') ?? '')) return null;
    return text(node(pool?.target)?.path) ?? null;
  }

  /** libvirt allows one pool per directory ("Storage source conflict with pool"). A pool another setup
   * defined on the domain's directory (the lab's `kelpie-shared`, one an admin made by hand) gives way:
   * stopped and undefined, its files untouched — VM disks name files, not pools. Another storage
   * domain's pool keeps it: the answer is why this one cannot start. */
  private async takeOverDirectory(name: string, path: string): Promise<string | null> {
    for (const other of await this.names()) {
      if (other === name) continue;
      const dir = await this.directoryOf(other).catch(() => null);
      if (!dir || !sameDirectory(dir, path)) continue;
      if (isDomainPool(other))
        return `directory ${path} is already the pool of another storage domain (${other})`;
      await this.virsh.run(['pool-destroy', '--pool', other]).catch(() => undefined);
      await this.virsh.run(['pool-undefine', '--pool', other]);
    }
    return null;
  }

  /** Defines the pool's libvirt secret and sets its value from a private temp file (never an argument:
   * arguments show in `ps`). Redefining an existing secret of the same UUID keeps it in place. */
  private async defineSecret(secret: PoolSecret): Promise<void> {
    await withXmlFile(buildPoolSecretXml(secret.uuid, secret.usage, secret.kind), (file) =>
      this.virsh.run(['secret-define', '--file', file]),
    );
    // The file holds base64 text, which virsh decodes (no --plain).
    await withXmlFile(secret.value, (file) =>
      this.virsh.run(['secret-set-value', '--secret', secret.uuid, '--file', file]),
    );
  }

  /** pool-destroy + pool-undefine; the files stay. A missing pool is already gone. */
  async remove(name: string): Promise<void> {
    // The periodic check starts a stopped pool again and a refresh holds it busy: a removal racing
    // one of them is tried again (the check runs every few seconds, never twice in a row here).
    for (let attempt = 1; ; attempt++) {
      try {
        if ((await this.info(name)).active) await this.virsh.run(['pool-destroy', '--pool', name]);
        await this.virsh.run(['pool-undefine', '--pool', name]);
        break;
      } catch (e) {
        if (isMissingPool(e)) break;
        if (attempt >= REMOVE_ATTEMPTS || !(isBusy(e) || isStillActive(e))) throw e;
        await new Promise((r) => setTimeout(r, REMOVE_RETRY_MS));
      }
    }
    await this.removeSecretOf(name);
  }

  /** The secret Kelpie defined for the pool (its usage names the pool), if any. */
  private async removeSecretOf(name: string): Promise<void> {
    const uuid = secretUuidFor((await this.virsh.run(['secret-list'])).stdout, name);
    if (uuid) await this.virsh.run(['secret-undefine', '--secret', uuid]);
  }

  private async uuidOf(name: string): Promise<string | undefined> {
    try {
      return (await this.virsh.run(['pool-uuid', '--pool', name])).stdout.trim() || undefined;
    } catch (e) {
      if (isMissingPool(e)) return undefined;
      throw e;
    }
  }

  private async info(name: string) {
    return parsePoolInfo((await this.virsh.run(['pool-info', '--pool', name, '--bytes'])).stdout);
  }

  private async state(name: string, error: string | null): Promise<PoolState> {
    const info = await this.info(name);
    return {
      name,
      active: info.active,
      capacityBytes: info.active ? info.capacity : null,
      availableBytes: info.active ? info.available : null,
      error: info.active ? null : (error ?? 'the pool is not running'),
    };
  }
}
