import {
  CommandResult,
  GcOrphanDomain,
  GcOrphanVolume,
  KELPIE_VOLUME_NAME,
  ListedVolume,
} from '@kelpie/shared-types';

export type HostListing = CommandResult<'gc.list'>;

/** What the database knows among the listed ids and paths. */
export interface KnownObjects {
  diskIds: Set<string>;
  diskPaths: Set<string>;
  vmIds: Set<string>;
}

export interface Orphans {
  volumes: (GcOrphanVolume & { dir: string })[];
  domains: GcOrphanDomain[];
}

export const diskIdOf = (v: Pick<ListedVolume, 'name'>) => KELPIE_VOLUME_NAME.exec(v.name)?.[1] ?? null;

/**
 * Which listed volumes and domains are Kelpie's leftovers. A volume is an orphan when no disk has its
 * id or its path and no domain on the host uses it; a domain when it carries Kelpie's metadata and
 * no VM has its uuid. Each is due for removal only once older than the grace period (a create in
 * flight has its rows first, so only a crash or a lost answer leaves one); a running domain never is.
 */
export function findOrphans(
  listing: HostListing,
  known: KnownObjects,
  options: { now: number; graceMs: number; firstSeen: (uuid: string) => number },
): Orphans {
  const used = new Set(listing.diskSources);
  const age = (since: number) => Math.max(0, options.now - since);
  const volumes = listing.volumes
    .filter((v) => {
      const id = diskIdOf(v);
      return id !== null && !known.diskIds.has(id) && !known.diskPaths.has(v.path) && !used.has(v.path);
    })
    .map((v) => {
      const ageMs = age(Date.parse(v.changedAt));
      return {
        path: v.path,
        dir: v.dir,
        name: v.name,
        sizeBytes: v.sizeBytes,
        ageSeconds: Math.floor(ageMs / 1000),
        due: ageMs >= options.graceMs,
        removed: false,
      };
    });
  const domains = listing.domains
    .filter((d) => !known.vmIds.has(d.uuid.toLowerCase()))
    .map((d): GcOrphanDomain => {
      const since = d.definedAt ? Date.parse(d.definedAt) : options.firstSeen(d.uuid);
      const ageMs = age(since);
      return {
        uuid: d.uuid,
        name: d.name,
        active: d.active,
        ageSeconds: Math.floor(ageMs / 1000),
        due: !d.active && ageMs >= options.graceMs,
        ...(d.active ? { keptBecause: 'it is running: stop it or adopt it by hand' } : {}),
        removed: false,
      };
    });
  return { volumes, domains };
}
