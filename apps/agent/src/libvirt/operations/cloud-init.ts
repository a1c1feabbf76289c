import { constants } from 'node:fs';
import { access, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AgentError } from '../../errors/agent-error';
import { first, parseDom, runTool } from './clone';
import type { LibvirtClient } from './libvirt-client';
import { domainDisks } from './snapshots';

export interface SeedFiles {
  metaData: string;
  userData: string;
  networkConfig?: string;
}

async function onPath(binary: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    try {
      await access(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

/** Writes the NoCloud files into a private temp dir and packs them into an ISO 9660 image with
 * volume label `cidata` (genisoimage, or xorriso's mkisofs emulation). The ISO appears at
 * `isoPath` atomically (written beside it, then renamed). */
export async function buildSeedIso(isoPath: string, files: SeedFiles): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-cidata-'));
  const part = join(dirname(isoPath), `.${basename(isoPath)}.part-${randomBytes(4).toString('hex')}`);
  try {
    const names = ['user-data', 'meta-data'];
    await writeFile(join(dir, 'user-data'), files.userData, { mode: 0o600, flag: 'wx' });
    await writeFile(join(dir, 'meta-data'), files.metaData, { mode: 0o600, flag: 'wx' });
    if (files.networkConfig !== undefined) {
      await writeFile(join(dir, 'network-config'), files.networkConfig, { mode: 0o600, flag: 'wx' });
      names.push('network-config');
    }
    const common = ['-output', part, '-volid', 'cidata', '-joliet', '-rock', ...names];
    if (await onPath('genisoimage')) await runTool('genisoimage', ['-quiet', ...common], { cwd: dir });
    else if (await onPath('xorriso'))
      await runTool('xorriso', ['-as', 'genisoimage', ...common], { cwd: dir });
    else throw new AgentError('internal', 'neither genisoimage nor xorriso is installed on this host');
    await rename(part, isoPath);
    return (await stat(isoPath)).size;
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Puts the ISO in a CD-ROM drive of the domain: the drive already holding it, else an empty drive
 * (change-media), else a new read-only CD-ROM (attach-disk; persistent only when the domain runs,
 * as IDE/SATA CD-ROMs cannot be hot-plugged). */
export async function attachCdrom(
  libvirt: LibvirtClient,
  uuid: string,
  isoPath: string,
): Promise<{ target: string; live: boolean }> {
  const st = await libvirt.domstate(uuid);
  const running = st.state !== 'shutoff' && st.state !== 'nostate';
  const inactiveXml = await libvirt.dumpxml(uuid, { inactive: true });
  const liveDisks = running ? domainDisks(await libvirt.dumpxml(uuid)) : [];
  const cfgDisks = domainDisks(inactiveXml);
  const cdroms = cfgDisks.filter((d) => d.device === 'cdrom');
  const liveHas = (target: string) => liveDisks.some((d) => d.device === 'cdrom' && d.target === target);

  const holding = cdroms.find((d) => d.path === isoPath);
  const empty = cdroms.find((d) => !d.path);
  const drive = holding ?? empty;
  if (drive) {
    const live = running && liveHas(drive.target);
    const args = ['change-media', '--domain', uuid, '--path', drive.target, '--source', isoPath, '--config'];
    args.push(drive.path ? '--update' : '--insert');
    if (live) args.push('--live');
    // A live drive that already holds the ISO gets --update too: the guest sees the new content.
    await libvirt.virsh.run(args);
    return { target: drive.target, live };
  }
  const used = new Set([...cfgDisks, ...liveDisks].map((d) => d.target));
  const q35 = /q35/.test(machineOf(inactiveXml));
  const candidates = q35
    ? 'bcdefghijklmnopqrstuvwxyz'.split('').map((c) => `sd${c}`)
    : ['hdc', 'hdd', 'hdb', ...'bcdefghijklmnopqrstuvwxyz'.split('').map((c) => `sd${c}`)];
  const target = candidates.find((t) => !used.has(t));
  if (!target) throw new AgentError('operation_invalid', 'no free CD-ROM target on this domain');
  await libvirt.virsh.run([
    'attach-disk',
    '--domain',
    uuid,
    '--source',
    isoPath,
    '--target',
    target,
    '--targetbus',
    target.startsWith('hd') ? 'ide' : 'sata',
    '--type',
    'cdrom',
    '--mode',
    'readonly',
    '--config',
  ]);
  return { target, live: false };
}

function machineOf(xml: string): string {
  const os = first(parseDom(xml).root, 'os');
  const type = os ? first(os, 'type') : undefined;
  return type?.getAttribute('machine') ?? '';
}
