import { stat } from 'node:fs/promises';
import type { LibvirtClient } from '../libvirt/operations';
import { MigrationOperations } from '../libvirt/operations/migration';
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
    if (command === 'vm.migrate' && typeof p.uuid === 'string')
      facts.push(await orphanMigration(libvirt, p.uuid.toLowerCase(), String(p.destinationUri)));
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

/** A migration whose agent died runs on unsupervised (no stall policy, no time limit, nobody waits for
 * it): it is aborted, so the domain's place becomes definite (it stays here). */
async function orphanMigration(libvirt: LibvirtClient, uuid: string, destination: string): Promise<string> {
  const ops = new MigrationOperations(libvirt.virsh);
  const job = await ops.jobInfo(uuid).catch(() => null);
  if (
    !job ||
    !/outgoing migration/i.test(job.operation ?? '') ||
    !['Unbounded', 'Bounded'].includes(job.jobType)
  )
    return `no migration of ${uuid} is running from this host (if the domain is not here, it went to ${destination})`;
  const aborted = await ops.abort(uuid).catch(() => false);
  return aborted
    ? `the migration to ${destination} was still running unsupervised: aborted, the domain stays on this host`
    : `the migration to ${destination} is still running and could not be aborted`;
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
