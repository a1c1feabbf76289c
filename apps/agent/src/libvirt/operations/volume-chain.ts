import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KELPIE_VOLUME_NAME } from '@kelpie/shared-types';
import { qemuImgChain } from './clone';
import type { VolumeOperations } from './volumes';

/** The images under `path`, itself first (`qemu-img info --backing-chain -U`). */
export type ChainReader = (path: string) => Promise<string[]>;

const readChain: ChainReader = async (path) => (await qemuImgChain(path)).map((i) => i.path);

/**
 * Deletes a disk's volume `name` with the overlays its external snapshots stacked on it, `top`
 * being the image the disk writes to: every image of the chain read from `top` down to the volume,
 * top first — also the middle overlays of several snapshots, which no record names. Only images of
 * the pool's own directory named like Kelpie's volumes go, and never one below the volume (a thin
 * disk's template image). A chain that does not reach the volume (broken by hand) loses only `top`
 * and the volume; the garbage collector judges the rest. Returns the paths deleted, top first.
 */
export async function deleteVolumeChain(
  volumes: Pick<VolumeOperations, 'deleteVolume' | 'poolPath'>,
  pool: string,
  name: string,
  top: string | undefined,
  chainOf: ChainReader = readChain,
): Promise<string[]> {
  const dir = await volumes.poolPath(pool);
  const base = join(dir, name);
  const images = top && top !== name ? await overlaysAbove(join(dir, top), base, chainOf) : [];
  const doomed = [...images.filter((p) => dirname(p) === dir && KELPIE_VOLUME_NAME.test(basename(p))), base];
  for (const path of doomed) await volumes.deleteVolume(pool, basename(path));
  return doomed;
}

async function overlaysAbove(topPath: string, base: string, chainOf: ChainReader): Promise<string[]> {
  // Gone already (a delete asked again after it removed the top): nothing left to read a chain from.
  if (
    !(await access(topPath).then(
      () => true,
      () => false,
    ))
  )
    return [];
  const chain = await chainOf(topPath).catch(() => [topPath]);
  const at = chain.indexOf(base);
  return at < 0 ? [topPath] : chain.slice(0, at);
}
