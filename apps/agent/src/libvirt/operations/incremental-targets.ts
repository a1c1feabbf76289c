import { basename, dirname } from 'node:path';
import { create } from 'xmlbuilder2';
import { AgentError } from '../../errors/agent-error';
import { asArray, attr, node, parseXml, type XmlNode } from '../mapping';
import type { VirshRunner } from '../process';
import { VolumeOperations } from './volumes';
import { withXmlFile } from './xml-file';

/**
 * `--copy-storage-inc` on libvirt 9 refuses to pre-create the target images ("pre-creation of storage
 * targets for incremental storage migration is not supported"): the caller must create, on the
 * target, each writable disk image with the same backing file, which must already be there. The source
 * agent does it through the target's libvirt (its storage pools), so the target agent is not involved.
 */

export interface IncrementalDisk {
  /** `vda`, for domblkinfo. */
  target: string;
  path: string;
  format: string;
  backingPath: string | null;
  backingFormat: string | null;
}

/** Writable file disks of a domain XML, with their first backing file (libvirt's live XML lists it). */
export function incrementalDisks(domainXml: string): IncrementalDisk[] {
  const devices = node(node(parseXml(domainXml).domain)?.devices) ?? {};
  const out: IncrementalDisk[] = [];
  for (const d of asArray(devices.disk) as XmlNode[]) {
    if ((attr(d, 'device') ?? 'disk') !== 'disk' || (attr(d, 'type') ?? 'file') !== 'file') continue;
    if (d.readonly !== undefined || d.shareable !== undefined) continue;
    const path = attr(d.source, 'file');
    if (!path) continue;
    const backing = node(d.backingStore);
    const backingPath = backing ? (attr(backing.source, 'file') ?? null) : null;
    out.push({
      target: attr(d.target, 'dev') ?? '',
      path,
      format: attr(d.driver, 'type') ?? 'raw',
      backingPath,
      backingFormat: backingPath ? (attr(backing?.format, 'type') ?? 'raw') : null,
    });
  }
  return out;
}

/** Volume XML for an empty image of `capacityBytes` on top of the disk's backing file. */
export function overlayVolumeXml(disk: IncrementalDisk, capacityBytes: number): string {
  const vol = create({ version: '1.0' }).ele('volume');
  vol.ele('name').txt(basename(disk.path));
  vol.ele('capacity', { unit: 'bytes' }).txt(String(capacityBytes));
  vol.ele('allocation', { unit: 'bytes' }).txt('0');
  vol.ele('target').ele('format', { type: disk.format });
  if (disk.backingPath) {
    const bs = vol.ele('backingStore');
    bs.ele('path').txt(disk.backingPath);
    bs.ele('format', { type: disk.backingFormat ?? 'raw' });
  }
  return vol.end({ prettyPrint: true });
}

export interface CreatedVolume {
  pool: string;
  name: string;
  path: string;
}

/** Creates the target images for `--copy-storage-inc`; returns what it created (to undo on failure). */
export async function precreateIncrementalTargets(
  source: VirshRunner,
  target: VirshRunner,
  uuid: string,
): Promise<CreatedVolume[]> {
  const xml = (await source.run(['dumpxml', '--domain', uuid])).stdout;
  const disks = incrementalDisks(xml);
  const targetVolumes = new VolumeOperations(target);
  const created: CreatedVolume[] = [];
  try {
    for (const disk of disks) {
      if (disk.format !== 'qcow2' && disk.backingPath)
        throw new AgentError(
          'operation_invalid',
          `disk ${disk.path} has a backing file but is ${disk.format}`,
        );
      if (disk.backingPath && !(await targetHasFile(target, disk.backingPath)))
        throw new AgentError(
          'operation_invalid',
          `backing file ${disk.backingPath} of ${disk.path} is not in a storage pool of the target: incremental copy needs it there`,
        );
      const pool = await targetVolumes.findPoolByPath(dirname(disk.path));
      if (!pool)
        throw new AgentError(
          'operation_invalid',
          `no storage pool on the target has the directory ${dirname(disk.path)} (needed to copy ${disk.path})`,
        );
      await targetVolumes.refresh(pool.name);
      if (await targetVolumes.volumePath(pool.name, basename(disk.path)))
        throw new AgentError('operation_invalid', `${disk.path} already exists on the target`);
      const info = (await source.run(['domblkinfo', '--domain', uuid, '--device', disk.target])).stdout;
      const capacity = Number(/^Capacity:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
      if (!Number.isFinite(capacity) || capacity <= 0)
        throw new AgentError('libvirt_error', `cannot read the size of ${disk.path}: ${info.trim()}`);
      await withXmlFile(overlayVolumeXml(disk, capacity), (file) =>
        target.run(['vol-create', '--pool', pool.name, '--file', file]),
      );
      created.push({ pool: pool.name, name: basename(disk.path), path: disk.path });
    }
  } catch (e) {
    await removeCreatedVolumes(target, created);
    throw e;
  }
  return created;
}

export async function removeCreatedVolumes(target: VirshRunner, created: CreatedVolume[]): Promise<void> {
  const volumes = new VolumeOperations(target);
  for (const v of created) await volumes.deleteVolume(v.pool, v.name).catch(() => undefined);
}

/** A file the target's libvirt knows as a volume (pools are libvirt's only view of a remote host's files). */
async function targetHasFile(target: VirshRunner, path: string): Promise<boolean> {
  const volumes = new VolumeOperations(target);
  const pool = await volumes.findPoolByPath(dirname(path));
  if (!pool) return false;
  await volumes.refresh(pool.name);
  return (await volumes.volumePath(pool.name, basename(path))) !== undefined;
}
