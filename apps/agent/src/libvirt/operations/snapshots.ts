import { statfs, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DomainDiskInfo, DomainSnapshotInfo } from '@kelpie/shared-types';
import { create } from 'xmlbuilder2';
import { AgentError } from '../../errors/agent-error';
import { VirshError } from '../process';
import { children, first, parseDom, qemuImgChain, qemuImgInfo, runTool, type El } from './clone';
import type { LibvirtClient } from './libvirt-client';

const rootOf = (xml: string): El => parseDom(xml).root;

export interface DomainDisk {
  target: string;
  device: 'disk' | 'cdrom' | 'floppy' | 'lun';
  path: string | null;
  readonly: boolean;
}

/** File-backed (or empty) disks of a domain XML, in document order. */
export function domainDisks(xml: string): DomainDisk[] {
  const devices = first(rootOf(xml), 'devices');
  return (devices ? children(devices, 'disk') : []).map((d) => ({
    target: first(d, 'target')?.getAttribute('dev') ?? '',
    device: (d.getAttribute('device') ?? 'disk') as DomainDisk['device'],
    path: first(d, 'source')?.getAttribute('file') ?? null,
    readonly: !!first(d, 'readonly'),
  }));
}

/** Parses `snapshot-dumpxml`. */
export function parseSnapshotXml(xml: string, current: boolean): DomainSnapshotInfo {
  const root = rootOf(xml);
  const txt = (el: El | undefined, tag: string) => (el ? (first(el, tag)?.textContent ?? '') : '');
  const parent = first(root, 'parent');
  const memory = first(root, 'memory')?.getAttribute('snapshot') ?? 'no';
  const disks = first(root, 'disks');
  const overlays: DomainSnapshotInfo['overlays'] = [];
  let external = false;
  for (const d of disks ? children(disks, 'disk') : []) {
    if (d.getAttribute('snapshot') !== 'external') continue;
    external = true;
    const file = first(d, 'source')?.getAttribute('file');
    if (file) overlays.push({ target: d.getAttribute('name') ?? '', path: file });
  }
  return {
    name: txt(root, 'name'),
    parent: parent ? txt(parent, 'name') || null : null,
    state: txt(root, 'state'),
    current,
    type: external || memory === 'external' ? 'external' : 'internal',
    withMemory: memory !== 'no',
    creationTime: Number(txt(root, 'creationTime')) || 0,
    overlays,
  };
}

const isNoSnapshot = (e: unknown) =>
  e instanceof VirshError &&
  /snapshot.*not found|no domain snapshot|no current snapshot/i.test(e.message + (e.details.stderr ?? ''));

/** Snapshots, storage facts and the merge-based deletion of external snapshots. */
export class SnapshotOperations {
  constructor(private readonly libvirt: LibvirtClient) {}

  private get virsh() {
    return this.libvirt.virsh;
  }

  async isActive(uuid: string): Promise<boolean> {
    const st = await this.libvirt.domstate(uuid);
    return st.state !== 'shutoff' && st.state !== 'nostate';
  }

  /** The domain's file-backed disks with qemu-img facts and the free space next to them. */
  async storageInfo(uuid: string): Promise<DomainDiskInfo[]> {
    const xml = await this.libvirt.dumpxml(uuid);
    const pools = await this.poolTargets();
    const out: DomainDiskInfo[] = [];
    for (const d of domainDisks(xml)) {
      if (!d.path) continue;
      let img: Awaited<ReturnType<typeof qemuImgInfo>> | null;
      try {
        img = await qemuImgInfo(d.path);
      } catch {
        img = null;
      }
      const dir = dirname(d.path);
      const pool = pools.find((p) => p.path === dir)?.name ?? null;
      out.push({
        target: d.target,
        device: d.device,
        path: d.path,
        format: img?.format ?? null,
        virtualSizeBytes: img?.virtualSizeBytes ?? 0,
        allocationBytes: img?.allocationBytes ?? 0,
        backingPath: img?.backingPath ?? null,
        availableBytes: await this.available(dir, pool),
        pool,
      });
    }
    return out;
  }

  private async poolTargets(): Promise<Array<{ name: string; path: string }>> {
    const names = (await this.virsh.run(['pool-list', '--all', '--name'])).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const out: Array<{ name: string; path: string }> = [];
    for (const name of names) {
      try {
        const xml = (await this.virsh.run(['pool-dumpxml', '--pool', name])).stdout;
        const target = first(rootOf(xml), 'target');
        const path = target ? first(target, 'path')?.textContent : undefined;
        if (path) out.push({ name, path: path.replace(/\/+$/, '') });
      } catch {
        /* pool vanished meanwhile */
      }
    }
    return out;
  }

  /** pool-info's Available (after a refresh) for the pool on `dir`, else statfs of the directory. */
  private async available(dir: string, pool: string | null): Promise<number | null> {
    if (pool) {
      try {
        await this.virsh.run(['pool-refresh', '--pool', pool]);
        const { stdout } = await this.virsh.run(['pool-info', '--pool', pool, '--bytes']);
        const m = /^Available:\s+(\d+)/m.exec(stdout);
        if (m) return Number(m[1]);
      } catch {
        /* inactive pool: fall back */
      }
    }
    try {
      const s = await statfs(dir);
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  }

  async list(uuid: string): Promise<DomainSnapshotInfo[]> {
    const names = (await this.virsh.run(['snapshot-list', '--domain', uuid, '--name'])).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    let current: string | null;
    try {
      current =
        (await this.virsh.run(['snapshot-current', '--domain', uuid, '--name'])).stdout.trim() || null;
    } catch {
      current = null;
    }
    const out: DomainSnapshotInfo[] = [];
    for (const n of names) out.push(await this.get(uuid, n, n === current));
    return out;
  }

  async get(uuid: string, name: string, current?: boolean): Promise<DomainSnapshotInfo> {
    const xml = (await this.virsh.run(['snapshot-dumpxml', '--domain', uuid, '--snapshotname', name])).stdout;
    if (current === undefined) {
      const cur = await this.virsh
        .run(['snapshot-current', '--domain', uuid, '--name'])
        .then((r) => r.stdout.trim())
        .catch(() => '');
      current = cur === name;
    }
    return parseSnapshotXml(xml, current);
  }

  /** Creates the snapshot from a `<domainsnapshot>` document (name and description never reach
   * virsh's option parser). Internal: every qcow2 disk, plus memory when the domain runs. External:
   * disk-only and atomic, read-only/CD-ROM disks excluded. */
  async create(
    uuid: string,
    o: { name: string; description: string; type: 'internal' | 'external'; withMemory: boolean },
  ): Promise<DomainSnapshotInfo> {
    const active = await this.isActive(uuid);
    const snap = create({ version: '1.0' }).ele('domainsnapshot');
    snap.ele('name').txt(o.name);
    if (o.description) snap.ele('description').txt(o.description);
    const args = ['snapshot-create', '--domain', uuid];
    if (o.type === 'external') {
      if (o.withMemory)
        throw new AgentError(
          'invalid_payload',
          'external snapshots are disk-only (withMemory must be false)',
        );
      const disks = snap.ele('disks');
      for (const d of domainDisks(await this.libvirt.dumpxml(uuid))) {
        if (!d.target) continue;
        const skip = d.device !== 'disk' || d.readonly || !d.path;
        disks.ele('disk', { name: d.target, snapshot: skip ? 'no' : 'external' });
      }
      args.push('--disk-only', '--atomic');
    } else if (active && !o.withMemory) {
      throw new AgentError(
        'operation_invalid',
        'an internal snapshot of a running domain includes its memory (withMemory must be true)',
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-snap-'));
    const file = join(dir, 'snapshot.xml');
    try {
      await writeFile(file, snap.end({ prettyPrint: true }), { mode: 0o600, flag: 'wx' });
      await this.virsh.run([...args, '--xmlfile', file], { timeoutMs: 600_000 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return this.get(uuid, o.name, true);
  }

  async revert(uuid: string, name: string): Promise<void> {
    const info = await this.get(uuid, name);
    if (info.type === 'external')
      throw new AgentError(
        'operation_invalid',
        'libvirt 9 cannot revert external snapshots; delete (merge) it or use an internal snapshot',
      );
    await this.virsh.run(['snapshot-revert', '--domain', uuid, '--snapshotname', name], {
      timeoutMs: 600_000,
    });
  }

  /** Deletes a snapshot; external ones are merged first (see the catalog). A missing snapshot is
   * `deleted: false`. */
  async delete(
    uuid: string,
    name: string,
    progress: (pct: number, message: string) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<{ deleted: boolean; merged: Array<{ target: string; overlay: string; into: string }> }> {
    let info: DomainSnapshotInfo;
    try {
      info = await this.get(uuid, name);
    } catch (e) {
      if (isNoSnapshot(e)) return { deleted: false, merged: [] };
      throw e;
    }
    if (info.type === 'internal') {
      await this.virsh.run(['snapshot-delete', '--domain', uuid, '--snapshotname', name], {
        timeoutMs: 600_000,
      });
      return { deleted: true, merged: [] };
    }
    const merged: Array<{ target: string; overlay: string; into: string }> = [];
    const active = await this.isActive(uuid);
    for (const [i, ov] of info.overlays.entries()) {
      progress(Math.round((i / Math.max(1, info.overlays.length)) * 90), `merging ${ov.target}`);
      signal?.throwIfAborted();
      const into = await this.mergeOverlay(uuid, ov.target, ov.path, active, signal);
      if (into) merged.push({ target: ov.target, overlay: ov.path, into });
    }
    await this.virsh.run(['snapshot-delete', '--domain', uuid, '--snapshotname', name, '--metadata']);
    for (const m of merged) await rm(m.overlay, { force: true });
    return { deleted: true, merged };
  }

  /** Merges `overlay` into its backing file. Returns the backing path, or null when the overlay is
   * no longer in the disk's chain (already merged). */
  private async mergeOverlay(
    uuid: string,
    target: string,
    overlay: string,
    active: boolean,
    signal?: AbortSignal,
  ): Promise<string | null> {
    const disk = domainDisks(await this.libvirt.dumpxml(uuid, { inactive: !active })).find(
      (d) => d.target === target,
    );
    if (!disk?.path) return null;
    const chain = await qemuImgChain(disk.path);
    const idx = chain.findIndex((c) => c.path === overlay);
    if (idx < 0) return null;
    const base = chain[idx].backingPath;
    if (!base) throw new AgentError('operation_invalid', `${overlay} has no backing file to merge into`);
    if (active) {
      const args = ['blockcommit', '--domain', uuid, '--path', target, '--shallow', '--wait'];
      if (idx === 0) args.push('--active', '--pivot');
      else args.push('--top', overlay);
      // Killing `virsh blockcommit --wait` would leave QEMU's block job running: cancel the job itself.
      const cancel = () =>
        void this.virsh
          .run(['blockjob', '--domain', uuid, '--path', target, '--abort'])
          .catch(() => undefined);
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        await this.virsh.run(args, { timeoutMs: 3_600_000 });
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
      return base;
    }
    // Stopped: qemu-img commits offline; then the child (or the domain) points at the base.
    // Killed on abort: the overlay still holds every cluster, so the chain reads the same.
    await runTool('qemu-img', ['commit', '-q', '-f', 'qcow2', '--', overlay], {
      timeoutMs: 3_600_000,
      signal,
    });
    if (idx === 0)
      await this.setDiskSource(
        uuid,
        target,
        base,
        chain[idx + 1]?.format ?? chain[idx].backingFormat ?? 'qcow2',
      );
    else
      await runTool('qemu-img', [
        'rebase',
        '-u',
        '-f',
        chain[idx - 1].format,
        '-b',
        base,
        '-F',
        chain[idx + 1]?.format ?? 'qcow2',
        '--',
        chain[idx - 1].path,
      ]);
    return base;
  }

  /** Redefines a stopped domain with one disk's source replaced (through the DOM). */
  private async setDiskSource(uuid: string, target: string, path: string, format: string): Promise<void> {
    const { doc, root } = parseDom(await this.libvirt.dumpxml(uuid, { inactive: true, secure: true }));
    const devices = first(root, 'devices');
    for (const d of devices ? children(devices, 'disk') : []) {
      if (first(d, 'target')?.getAttribute('dev') !== target) continue;
      first(d, 'source')?.setAttribute('file', path);
      first(d, 'driver')?.setAttribute('type', format);
      for (const bs of children(d, 'backingStore')) d.removeChild(bs);
    }
    await this.libvirt.define(doc.end({ prettyPrint: true }));
  }
}
