import { z } from 'zod';
import { domainRef, ok, spec } from './command-spec';
import { SerialToken } from './commands-console';
import { SafeName, TargetDev } from './vm-spec';

/** A volume of a storage domain's pool that holds an uploaded image: letters, digits, `_.-`. */
export const ImageVolumeName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
/** One-time token a transfer listener expects as the first 43 bytes of the connection. */
export const TransferToken = SerialToken;
/** Largest image a domain takes: 16 TiB. */
export const IMAGE_SIZE_MAX = 16 * 1024 ** 4;

const volumeRef = z.strictObject({ pool: SafeName, volume: ImageVolumeName });

/** What `qemu-img info` says about an uploaded image (read with the format it detected: the engine
 * refuses a mismatch with the format the uploader declared, and any external reference). */
export const ImageInspection = z.object({
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.string(),
  virtualSizeBytes: z.number().int().nonnegative(),
  /** The backing file an image names (qcow2), as written in its header; null when none. */
  backingFile: z.string().nullable(),
  /** An external data file (qcow2 `data-file`); null when none. */
  dataFile: z.string().nullable(),
  /** The ISO 9660 signature `CD001` at byte 32769 (a CD/DVD image). */
  iso9660: z.boolean(),
});
export type ImageInspection = z.infer<typeof ImageInspection>;

/** Image transfers between the engine and a host's pool. Bytes never travel through Redis: the host
 * opens a one-shot TCP listener, the engine connects, presents the token and streams. */
export const IMAGE_COMMANDS = {
  /** Opens a listener that writes what the engine sends into the volume from `offset` on (the volume
   * is created sparse, `sizeBytes` long, when `create`). After the engine half-closes, the host
   * flushes the file and answers one line, `<bytes written>\n`, then closes: the engine then knows
   * exactly how far an interrupted upload got. Writing past `sizeBytes` is refused. */
  'image.receive': spec({
    payload: volumeRef.extend({
      sizeBytes: z.number().int().min(1).max(IMAGE_SIZE_MAX),
      offset: z.number().int().min(0).max(IMAGE_SIZE_MAX),
      create: z.boolean(),
      token: TransferToken,
      validForSeconds: z.number().int().min(5).max(600),
    }),
    result: z.object({ port: z.number().int().positive(), path: z.string() }),
    idempotent: false,
    timeoutMs: 60_000,
  }),
  /** Opens a listener that sends the volume's bytes (from `offset`) to the connection that presents
   * the token, then closes. */
  'image.send': spec({
    payload: volumeRef.extend({
      offset: z.number().int().min(0).max(IMAGE_SIZE_MAX).default(0),
      token: TransferToken,
      validForSeconds: z.number().int().min(5).max(600),
    }),
    result: z.object({ port: z.number().int().positive(), sizeBytes: z.number().int().nonnegative() }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** SHA-256 and `qemu-img info` (never opening a backing file) of a volume, pool refreshed first
   * so `vol-list` shows it. */
  'image.inspect': spec({
    payload: volumeRef,
    result: ImageInspection,
    idempotent: true,
    timeoutMs: 900_000,
  }),
  /** Renames a checked upload to its final volume name in the same pool (a disk's `<id>.qcow2`); done
   * already (only the new name exists) is not an error. */
  'image.rename': spec({
    payload: volumeRef.extend({ to: ImageVolumeName }),
    result: z.object({ path: z.string() }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** Copies a volume into another pool of this host (`qemu-img convert`, formats given, never probed),
   * through a temporary name so a half-copied target never appears under its name. */
  'volume.copy': spec({
    payload: volumeRef.extend({
      format: z.enum(['raw', 'qcow2']),
      toPool: SafeName,
      toVolume: ImageVolumeName,
    }),
    result: z.object({ path: z.string() }),
    idempotent: true,
    timeoutMs: 3_600_000,
  }),
  /** Moves a running domain's disk to a volume of another pool of this host, live: the volume is
   * created (`capacityBytes`, `format`), `blockcopy` mirrors the whole chain into it (progress from
   * the block job), then the domain pivots to it. Until the pivot the domain stays on its source;
   * a failed or aborted copy deletes the new volume. Already pivoted (the disk's source is the new
   * volume): answered as done. The old volume is the engine's to delete. */
  'disk.live-move': spec({
    payload: domainRef.extend({
      targetDev: TargetDev,
      format: z.enum(['raw', 'qcow2']),
      capacityBytes: z.number().int().min(1).max(IMAGE_SIZE_MAX),
      toPool: SafeName,
      toVolume: ImageVolumeName,
      /** The copy's read limit (`blockcopy --bandwidth`); unlimited when absent. */
      bandwidthMiBps: z.number().int().min(1).max(10_000).optional(),
    }),
    result: z.object({ path: z.string() }),
    idempotent: true,
    timeoutMs: 3_600_000,
  }),
  /** Aborts a `disk.live-move` under way on the domain's disk (the move then fails as cancelled and
   * the domain stays on its source); none under way is not an error. */
  'disk.live-move-abort': spec({
    payload: domainRef.extend({ targetDev: TargetDev }),
    result: z.object({ aborted: z.boolean() }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** Deletes the volume; one already gone is not an error. */
  'image.delete': spec({
    payload: volumeRef,
    result: ok,
    idempotent: true,
    timeoutMs: 60_000,
  }),
} as const;
