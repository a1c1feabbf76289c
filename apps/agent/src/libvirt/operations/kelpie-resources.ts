import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KELPIE_VOLUME_NAME, type ListedKelpieDomain, type ListedVolume } from '@kelpie/shared-types';
import { VirshError } from '../process';
import type { LibvirtClient } from './libvirt-client';
import { parseLines } from '../mapping/parsers';
import { qemuImgChain } from './clone';

/** Where libvirt keeps persistent domain definitions (inside the host's own mount namespace). */
const QEMU_CONFIG_DIR = '/etc/libvirt/qemu';

const vanished = (e: unknown) =>
  (e instanceof VirshError && e.code === 'domain_not_found') ||
  (e as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * What Kelpie made on this host, for the engine's garbage collector: files named like its volumes
 * in the given storage directories, domains carrying its metadata, and every image the disks of every
 * domain read: their sources and the whole backing chain under each (a file a domain reads is in use,
 * whatever the database says — e.g. the middle overlays of several external snapshots). Read-only.
 */
export class KelpieResources {
  constructor(
    private readonly libvirt: LibvirtClient,
    /** The images under `path`, itself first (`qemu-img info --backing-chain -U`). */
    private readonly chainOf: (path: string) => Promise<string[]> = async (path) =>
      (await qemuImgChain(path)).map((i) => i.path),
  ) {}

  async volumes(dirs: string[]): Promise<ListedVolume[]> {
    const found: ListedVolume[] = [];
    for (const dir of new Set(dirs)) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      for (const name of names) {
        if (!KELPIE_VOLUME_NAME.test(name)) continue;
        const path = join(dir, name);
        try {
          const s = await stat(path);
          if (!s.isFile()) continue;
          const changed = Math.max(s.mtimeMs, s.ctimeMs);
          found.push({ path, dir, name, sizeBytes: s.size, changedAt: new Date(changed).toISOString() });
        } catch (e) {
          if (!vanished(e)) throw e;
        }
      }
    }
    return found;
  }

  /** Kelpie's domains (metadata element present) and the disk sources of all domains. */
  async domains(): Promise<{ domains: ListedKelpieDomain[]; diskSources: string[] }> {
    const active = new Set(
      parseLines((await this.libvirt.reads.run(['list', '--uuid'])).stdout).map((u) => u.toLowerCase()),
    );
    const domains: ListedKelpieDomain[] = [];
    const sources = new Set<string>();
    for (const listed of await this.libvirt.listDomains()) {
      const uuid = listed.uuid.toLowerCase();
      try {
        const [inactive, live] = await Promise.all([
          this.libvirt.domainXml(uuid, { inactive: true }),
          active.has(uuid) ? this.libvirt.domainXml(uuid) : undefined,
        ]);
        for (const d of [...inactive.disks, ...(live?.disks ?? [])]) if (d.source) sources.add(d.source);
        if (!inactive.managed) continue;
        domains.push({
          uuid: inactive.uuid,
          name: inactive.name,
          active: active.has(uuid),
          definedAt: await this.definedAt(inactive.name),
        });
      } catch (e) {
        if (!vanished(e)) throw e;
      }
    }
    return { domains, diskSources: await this.withBackingChains(sources) };
  }

  /** The sources and every image under them. A chain that cannot be read fails the listing (the
   * collector then removes nothing), except a source that does not exist: nothing is under it. */
  private async withBackingChains(sources: Set<string>): Promise<string[]> {
    const all = new Set(sources);
    for (const source of sources) {
      if (
        !(await stat(source).then(
          () => true,
          (e: unknown) => !vanished(e),
        ))
      )
        continue;
      for (const image of await this.chainOf(source)) all.add(image);
    }
    return [...all];
  }

  private async definedAt(name: string): Promise<string | null> {
    try {
      return (await stat(join(QEMU_CONFIG_DIR, `${name}.xml`))).mtime.toISOString();
    } catch {
      return null;
    }
  }
}
