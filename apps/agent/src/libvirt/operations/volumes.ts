import { VirshError, type VirshRunner } from '../process';
import { node, parseXml, text } from '../mapping/xml';
import { parseLines } from '../mapping/parsers';

/** Storage pools and volumes for Kelpie's disks: `pool-*` and `vol-*` virsh calls. */

const isMissingVolume = (e: unknown) =>
  e instanceof VirshError && /Storage volume not found|no storage vol with matching/i.test(e.message);

export interface PoolInfo {
  name: string;
  type: string;
  path: string;
  active: boolean;
}

const normalizePath = (p: string) => p.replace(/\/+$/, '') || '/';

/** Pool set-ups in progress per directory: two creates on one storage domain arrive together, and
 * a second `pool-define-as`/`pool-start` racing the first fails ("already exists", "already active"). */
const poolSetups = new Map<string, Promise<unknown>>();

/** The names of `virsh vol-list`'s table (below its dashed rule). */
export function volumeNamesOf(table: string): string[] {
  const lines = table.split('\n');
  const rule = lines.findIndex((l) => /^-{3,}/.test(l.trim()));
  return lines
    .slice(rule + 1)
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

export class VolumeOperations {
  constructor(private readonly virsh: VirshRunner) {}

  async poolNames(): Promise<string[]> {
    return parseLines((await this.virsh.run(['pool-list', '--all', '--name'])).stdout);
  }

  async poolInfo(name: string): Promise<PoolInfo> {
    const xml = (await this.virsh.run(['pool-dumpxml', '--pool', name])).stdout;
    const pool = node(parseXml(xml).pool) ?? {};
    const target = node(pool.target) ?? {};
    const info = (await this.virsh.run(['pool-info', '--pool', name])).stdout;
    return {
      name,
      type: String(pool['@_type'] ?? ''),
      path: normalizePath(text(target.path) ?? ''),
      active: /^State:\s+running/m.test(info),
    };
  }

  /** The pool (of any name) whose target directory is `path`. */
  async findPoolByPath(path: string): Promise<PoolInfo | undefined> {
    const wanted = normalizePath(path);
    for (const name of await this.poolNames()) {
      const info = await this.poolInfo(name).catch(() => undefined);
      if (info && info.path === wanted) return info;
    }
    return undefined;
  }

  /** An active pool serving `path`: an existing one (libvirt refuses two pools on one directory) or
   * a new autostarted `dir` pool `name`. */
  async ensureDirPool(name: string, path: string): Promise<{ pool: string; path: string; created: boolean }> {
    const key = normalizePath(path);
    const previous = poolSetups.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.setUpDirPool(name, path));
    poolSetups.set(key, mine);
    try {
      return await mine;
    } finally {
      if (poolSetups.get(key) === mine) poolSetups.delete(key);
    }
  }

  private async setUpDirPool(
    name: string,
    path: string,
  ): Promise<{ pool: string; path: string; created: boolean }> {
    let pool = await this.findPoolByPath(path);
    let created = false;
    if (!pool) {
      await this.virsh.run(['pool-define-as', '--name', name, '--type', 'dir', '--target', path]);
      await this.virsh.run(['pool-build', '--pool', name]).catch(() => undefined);
      created = true;
      pool = { name, type: 'dir', path: normalizePath(path), active: false };
    }
    if (!pool.active) await this.virsh.run(['pool-start', '--pool', pool.name]);
    if (created) await this.virsh.run(['pool-autostart', '--pool', pool.name]);
    return { pool: pool.name, path: pool.path, created };
  }

  async refresh(pool: string): Promise<void> {
    await this.virsh.run(['pool-refresh', '--pool', pool]);
  }

  async volumePath(pool: string, name: string): Promise<string | undefined> {
    try {
      return (await this.virsh.run(['vol-path', '--pool', pool, '--vol', name])).stdout.trim();
    } catch (e) {
      if (isMissingVolume(e)) return undefined;
      throw e;
    }
  }

  async allocationBytes(pool: string, name: string): Promise<number> {
    const out = (await this.virsh.run(['vol-info', '--pool', pool, '--vol', name, '--bytes'])).stdout;
    const m = /^Allocation:\s+(\d+)/m.exec(out);
    return m ? Number(m[1]) : 0;
  }

  /** Sparse volume (`--allocation 0`); an existing one of that name is kept. The pool is refreshed
   * first: on shared storage another host may have made the file. */
  async createVolume(
    pool: string,
    name: string,
    capacityBytes: number,
    format: 'qcow2' | 'raw',
  ): Promise<{ path: string; created: boolean; allocationBytes: number }> {
    await this.refresh(pool);
    let path = await this.volumePath(pool, name);
    let created = false;
    if (!path) {
      await this.virsh.run([
        'vol-create-as',
        '--pool',
        pool,
        '--name',
        name,
        '--capacity',
        `${capacityBytes}B`,
        '--allocation',
        '0',
        '--format',
        format,
      ]);
      created = true;
      path = await this.volumePath(pool, name);
      if (!path) throw new VirshError('libvirt_error', `volume ${name} not found after creating it`);
    }
    return { path, created, allocationBytes: await this.allocationBytes(pool, name).catch(() => 0) };
  }

  /** Grows a volume no running domain uses to `capacityBytes` (qemu-img resize under libvirt). */
  async resizeVolume(pool: string, name: string, capacityBytes: number): Promise<number> {
    await this.refresh(pool);
    await this.virsh.run(['vol-resize', '--pool', pool, '--vol', name, '--capacity', `${capacityBytes}B`]);
    const out = (await this.virsh.run(['vol-info', '--pool', pool, '--vol', name, '--bytes'])).stdout;
    return Number(/^Capacity:\s+(\d+)/m.exec(out)?.[1] ?? capacityBytes);
  }

  /** The directory a pool serves. */
  async poolPath(pool: string): Promise<string> {
    return (await this.poolInfo(pool)).path;
  }

  /** Every volume of the pool with its capacity, after a refresh (LUNs appear and grow on the target). */
  async listVolumes(pool: string): Promise<{ name: string; capacityBytes: number }[]> {
    await this.refresh(pool);
    // libvirt 9.0's vol-list has no --name: the table's first column (Kelpie's and LUN names have no spaces).
    const names = volumeNamesOf((await this.virsh.run(['vol-list', '--pool', pool])).stdout);
    const volumes = [];
    for (const name of names) {
      const out = (await this.virsh.run(['vol-info', '--pool', pool, '--vol', name, '--bytes'])).stdout;
      volumes.push({ name, capacityBytes: Number(/^Capacity:\s+(\d+)/m.exec(out)?.[1] ?? 0) });
    }
    return volumes;
  }

  /** Whether the pool serves files of a directory (dir, netfs), not network volumes (RBD images, LUNs). */
  async isDirectoryPool(pool: string): Promise<boolean> {
    return ['dir', 'fs', 'netfs'].includes((await this.poolInfo(pool)).type);
  }

  /** Deletes a volume that has no file chain (an RBD image): what it was is libvirt's path (`pool/image`). */
  async deleteNetworkVolume(pool: string, name: string): Promise<string[]> {
    await this.refresh(pool);
    const path = await this.volumePath(pool, name);
    if (!path) return [];
    await this.deleteVolume(pool, name);
    return [path];
  }

  async deleteVolume(pool: string, name: string): Promise<void> {
    await this.refresh(pool);
    try {
      await this.virsh.run(['vol-delete', '--pool', pool, '--vol', name]);
    } catch (e) {
      if (!isMissingVolume(e)) throw e;
    }
  }
}
