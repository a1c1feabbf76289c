import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

/**
 * QEMU before 9.0 (Debian 12 ships 7.2) loses guest writes during a live migration under TCG when the
 * guest's RAM block is a multiple of 64 pages: the dirty bitmap is synced a word at a time without
 * resetting the TCG TLB, so stores through older TLB entries are never marked dirty and the target
 * resumes with stale pages (upstream fix 03bfc2188f; measured in docs/adr/0005). Any other size takes
 * the per-page path, which resets the TLB. libvirt rounds memory to whole MiB, so under TCG the RAM
 * backend is replaced on the QEMU command line by one TCG_RAM_PAD_KIB larger. libvirt keeps showing the
 * size it was given; its own `pc.ram` backend stays unused (never touched, not migrated).
 */
export const QEMU_XMLNS = 'http://libvirt.org/schemas/domain/qemu/1.0';
export const TCG_RAM_BACKEND_ID = 'kelpie-tcg-ram';
/** QEMU's -m granularity. */
export const TCG_RAM_PAD_KIB = 8;

function padArgs(memoryMib: number): string[] {
  const kib = memoryMib * 1024 + TCG_RAM_PAD_KIB;
  const backend = { 'qom-type': 'memory-backend-ram', id: TCG_RAM_BACKEND_ID, size: kib * 1024 };
  return ['-m', `${kib}k`, '-object', JSON.stringify(backend), '-machine', `memory-backend=${backend.id}`];
}

/** Adds the padded RAM backend to a domain being built (TCG only). */
export function addTcgRamPad(domain: XMLBuilder, memoryMib: number): void {
  const commandline = domain.ele(QEMU_XMLNS, 'qemu:commandline');
  for (const value of padArgs(memoryMib)) commandline.ele(QEMU_XMLNS, 'qemu:arg', { value });
}

/** A defined domain's XML with its padded backend resized to `memoryMib` (after its maximum memory
 * changed), or null when the domain has none. */
export function resizeTcgRamPad(domainXml: string, memoryMib: number): string | null {
  const doc = create(domainXml);
  const args = doc
    .root()
    .filter(
      (n) => n.node.nodeName === 'qemu:arg' && n.node.parentNode?.nodeName === 'qemu:commandline',
      false,
      true,
    );
  // toObject() gives the attribute as serialized (quotes escaped): match the backend id only.
  const values = args.map((a) =>
    String((a.toObject() as Record<string, Record<string, string>>)['qemu:arg']?.['@value'] ?? ''),
  );
  const at = values.findIndex(
    (v, i) =>
      v === '-m' && values[i + 2] === '-object' && values[i + 3]?.includes(TCG_RAM_BACKEND_ID) === true,
  );
  if (at < 0) return null;
  padArgs(memoryMib).forEach((value, i) => args[at + i]?.att('value', value));
  return doc.end({ prettyPrint: true });
}
