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
  /** VMs that run now on another host than the listed one: uuid → that host's name. */
  runningElsewhere: Map<string, string>;
}

export interface Orphans {
  volumes: (GcOrphanVolume & { dir: string })[];
  domains: GcOrphanDomain[];
}

export const diskIdOf = (v: Pick<ListedVolume, 'name'>) => KELPIE_VOLUME_NAME.exec(v.name)?.[1] ?? null;

/**
 * Which listed volumes and domains are Kelpie's leftovers. A volume is an orphan when no disk has its
 * id or its path and no domain on the host uses it; a domain when it carries Kelpie's metadata and
 * no VM has its uuid, or its VM runs on another host (a stale copy: started here it would run the VM
 * twice on the same disks; only the definition goes, the disks are the running VM's). Each is due for removal only once older than the grace period (a create in
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
    .filter((d) => {
      const uuid = d.uuid.toLowerCase();
      return !known.vmIds.has(uuid) || known.runningElsewhere.has(uuid);
    })
    .map((d): GcOrphanDomain => {
      const runsOn = known.runningElsewhere.get(d.uuid.toLowerCase());
      const since = d.definedAt ? Date.parse(d.definedAt) : options.firstSeen(d.uuid);
      const ageMs = age(since);
      return {
        uuid: d.uuid,
        name: d.name,
        active: d.active,
        ageSeconds: Math.floor(ageMs / 1000),
        due: !d.active && ageMs >= options.graceMs,
        ...(d.active ? { keptBecause: 'it is running: stop it or adopt it by hand' } : {}),
        ...(runsOn ? { runsOn } : {}),
        removed: false,
      };
    });
  return { volumes, domains };
}
