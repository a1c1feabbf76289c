import { z } from 'zod';
import { spec } from './command-spec';
import { SafePath } from './vm-spec';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A file in a storage directory named like a Kelpie disk volume, `<disk uuid>.qcow2|.img`, or like
 * the overlay an external snapshot put on a disk, `<disk uuid>.<snapshot uuid>`; group 1 is the disk. */
export const KELPIE_VOLUME_NAME = new RegExp(`^(${UUID})\\.(qcow2|img|${UUID})$`);

export const ListedVolume = z.object({
  path: z.string(),
  /** The storage directory it was found in (one of the payload's paths). */
  dir: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Last change of the file (the later of mtime and ctime): its age for the grace period. */
  changedAt: z.iso.datetime(),
});
export type ListedVolume = z.infer<typeof ListedVolume>;

export const ListedKelpieDomain = z.object({
  uuid: z.guid(),
  name: z.string(),
  active: z.boolean(),
  /** When its persistent definition was last written, if the agent can tell. */
  definedAt: z.iso.datetime().nullable(),
});
export type ListedKelpieDomain = z.infer<typeof ListedKelpieDomain>;

/** Garbage collection: what Kelpie made on a host, for the engine to compare with its database. */
export const GC_COMMANDS = {
  /** Files named like Kelpie volumes in these directories, every domain carrying Kelpie's metadata,
   * and every image the disks of every domain on the host read — sources and their whole backing
   * chains (a file a domain uses is never an orphan). */
  'gc.list': spec({
    payload: z.strictObject({ paths: z.array(SafePath).max(256) }),
    result: z.object({
      volumes: z.array(ListedVolume),
      domains: z.array(ListedKelpieDomain),
      diskSources: z.array(z.string()),
    }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
} as const;
