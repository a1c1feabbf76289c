import type { ImageInspection } from '@kelpie/shared-types';
import { rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AgentError } from '../errors/agent-error';
import { runTool } from '../libvirt/operations/clone';
import { VolumeOperations } from '../libvirt/operations/volumes';
import { VirshError, type VirshRunner } from '../libvirt/process';
import { hasIso9660Signature, sha256Of } from './image-files';

const isMissingVolume = (e: unknown) =>
  e instanceof VirshError && /Storage volume not found|no storage vol with matching/i.test(e.message);

interface QemuImgInfo {
  format: string;
  'virtual-size': number;
  'backing-filename'?: string;
  'format-specific'?: { data?: { 'data-file'?: string } };
}

/** Uploaded images as volumes of a storage domain's pool (`vol-*` virsh calls and `qemu-img`). */
export class ImageVolumes {
  constructor(private readonly virsh: VirshRunner) {}

  /** The volume's path; the pool is refreshed once when libvirt does not know the volume yet (another
   * host of a shared domain created it). Null when it does not exist. */
  async pathOf(pool: string, volume: string): Promise<string | null> {
    for (const refresh of [false, true]) {
      if (refresh) await this.virsh.run(['pool-refresh', '--pool', pool]);
      try {
        return (await this.virsh.run(['vol-path', '--pool', pool, volume])).stdout.trim();
      } catch (e) {
        if (!isMissingVolume(e)) throw e;
      }
    }
    return null;
  }

  /** The volume's path, created as a sparse raw file of `sizeBytes` when missing and `create`. */
  async prepare(pool: string, volume: string, sizeBytes: number, create: boolean): Promise<string> {
    const existing = await this.pathOf(pool, volume);
    if (existing) return existing;
    if (!create) throw new AgentError('operation_invalid', `volume ${volume} of pool ${pool} is gone`);
    await this.virsh.run([
      'vol-create-as',
      '--pool',
      pool,
      '--name',
      volume,
      '--capacity',
      `${sizeBytes}`,
      '--allocation',
      '0',
      '--format',
      'raw',
    ]);
    return (await this.pathOf(pool, volume))!;
  }

  /** Checksum and `qemu-img info` of the volume. qemu-img probes the format (the engine compares it
   * with the declared one) and, without --backing-chain, never opens a backing file. */
  async inspect(pool: string, volume: string): Promise<ImageInspection> {
    const path = await this.pathOf(pool, volume);
    if (!path) throw new AgentError('operation_invalid', `volume ${volume} of pool ${pool} is gone`);
    const { size } = await stat(path);
    const sha256 = await sha256Of(path);
    const { stdout } = await runTool('qemu-img', ['info', '--output=json', '--', path], {
      timeoutMs: 60_000,
    });
    const info = JSON.parse(stdout) as QemuImgInfo;
    return {
      path,
      sizeBytes: size,
      sha256,
      format: info.format,
      virtualSizeBytes: info['virtual-size'],
      backingFile: info['backing-filename'] ?? null,
      dataFile: info['format-specific']?.data?.['data-file'] ?? null,
      iso9660: await hasIso9660Signature(path),
    };
  }

  async rename(pool: string, volume: string, to: string): Promise<string> {
    const from = await this.pathOf(pool, volume);
    if (!from) {
      const done = await this.pathOf(pool, to);
      if (done) return done;
      throw new AgentError('operation_invalid', `volume ${volume} of pool ${pool} is gone`);
    }
    const target = join(dirname(from), to);
    await rename(from, target);
    await this.virsh.run(['pool-refresh', '--pool', pool]);
    return target;
  }

  async copy(
    from: { pool: string; volume: string },
    format: 'raw' | 'qcow2',
    to: { pool: string; volume: string },
  ): Promise<string> {
    const source = await this.pathOf(from.pool, from.volume);
    if (!source)
      throw new AgentError('operation_invalid', `volume ${from.volume} of pool ${from.pool} is gone`);
    const dir = (await new VolumeOperations(this.virsh).poolInfo(to.pool)).path;
    if (dir === '/') throw new AgentError('operation_invalid', `pool ${to.pool} has no target directory`);
    const target = join(dir, to.volume);
    const part = join(dir, `.${to.volume}.part`);
    await runTool('qemu-img', ['convert', '-f', format, '-O', format, '--', source, part], {
      timeoutMs: 3_600_000,
    });
    await rename(part, target);
    await this.virsh.run(['pool-refresh', '--pool', to.pool]);
    return target;
  }

  async remove(pool: string, volume: string): Promise<void> {
    if (!(await this.pathOf(pool, volume))) return;
    try {
      await this.virsh.run(['vol-delete', '--pool', pool, volume]);
    } catch (e) {
      if (!isMissingVolume(e)) throw e;
    }
  }
}
