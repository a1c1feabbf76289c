import { virshOrThrow } from '@kelpie/lab';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabPlatform, startLabPlatform } from './lab-platform';
import type { BenchContext } from './types';
import { openVirshEvents, VirshEventReader } from './virsh-events';

/** A 64 MiB guest with no OS (SeaBIOS finds nothing to boot and idles): QEMU start-up and libvirt
 * dominate its start/stop/suspend, which is what the control-plane benchmarks compare. */
export function tinyDomainXml(name: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><tcg><tb-cache unit='MiB'>16</tb-cache></tcg></features>
  <devices/>
</domain>
`;
}

export interface TinyDomainLab {
  p: LabPlatform;
  /** libvirt URI of the lab host (from the root namespace, over TCP). */
  uri: string;
  /** The domain's UUID = its VM id in the engine. */
  id: string;
  /** Raw `virsh event` reader of the domain: the baseline's view of libvirt. */
  events: VirshEventReader;
}

/** One lab host (lab kb, 10.85.0.0/24) with a real agent and the engine, the tiny domain defined
 * (not started) with raw virsh; everything is removed afterwards. */
export async function withTinyDomain<T>(
  ctx: BenchContext,
  domain: string,
  fn: (lab: TinyDomainLab) => Promise<T>,
): Promise<T> {
  const xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-bench-'));
  const p = await startLabPlatform({ labName: 'kb', subnet: 85, hosts: 1, log: ctx.log });
  const uri = p.labStatus.hosts[0].uri;
  let events: VirshEventReader | undefined;
  try {
    const file = join(xmlDir, 'domain.xml');
    await writeFile(file, tinyDomainXml(domain));
    await virshOrThrow(uri, ['define', file], 120_000); // libvirt may re-probe QEMU first (tens of s)
    const id = (await virshOrThrow(uri, ['domuuid', domain])).trim();
    events = await openVirshEvents(uri, domain);
    return await fn({ p, uri, id, events });
  } finally {
    events?.close();
    await virshOrThrow(uri, ['destroy', domain]).catch(() => undefined);
    await virshOrThrow(uri, ['undefine', domain]).catch(() => undefined);
    await p.close();
    await rm(xmlDir, { recursive: true, force: true });
  }
}
