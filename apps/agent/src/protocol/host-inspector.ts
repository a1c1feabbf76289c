import { stat } from 'node:fs/promises';
import type { LibvirtClient } from '../libvirt/operations';
import { VirshError } from '../libvirt/process';
import type { HostInspector, HostNow } from './at-most-once';

interface Targets {
  uuid?: unknown;
  sourceUuid?: unknown;
  name?: unknown;
  destinationUri?: unknown;
  disks?: Array<{ targetPath?: unknown }>;
}

/** What this host shows now about the domains and files a command names: the facts an engine needs
 * to settle a command whose agent died mid-way (did the domain leave, does the clone exist…). */
export function hostInspector(libvirt: LibvirtClient): HostInspector {
  const domain = async (uuid: string): Promise<string> => {
    try {
      const { state, reason } = await libvirt.domstate(uuid);
      return `domain ${uuid} is ${state}${reason ? ` (${reason})` : ''} on this host`;
    } catch (e) {
      if (e instanceof VirshError && e.code === 'domain_not_found')
        return `domain ${uuid} is not defined on this host`;
      throw e;
    }
  };
  return async (command, payload): Promise<HostNow> => {
    const p = (payload ?? {}) as Targets;
    const facts: string[] = [];
    for (const uuid of [p.uuid, p.sourceUuid])
      if (typeof uuid === 'string') facts.push(await domain(uuid.toLowerCase()));
    if (command === 'vm.migrate' && typeof p.destinationUri === 'string')
      facts.push(`the migration went to ${p.destinationUri}: ask that host whether the domain runs there`);
    if (
      command === 'vm.snapshot.create' ||
      command === 'vm.snapshot.revert' ||
      command === 'vm.snapshot.delete'
    )
      if (typeof p.uuid === 'string' && typeof p.name === 'string')
        facts.push(await snapshotFact(libvirt, p.uuid, p.name));
    for (const d of p.disks ?? [])
      if (typeof d.targetPath === 'string')
        facts.push(`${d.targetPath} ${(await exists(d.targetPath)) ? 'exists' : 'does not exist'}`);
    return { facts };
  };
}

async function snapshotFact(libvirt: LibvirtClient, uuid: string, name: string): Promise<string> {
  try {
    await libvirt.virsh.run(['snapshot-info', '--domain', uuid, '--snapshotname', name]);
    return `snapshot ${name} exists`;
  } catch {
    return `snapshot ${name} does not exist`;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
