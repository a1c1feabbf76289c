import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

import { TCG_RAM_BACKEND_ID, tcgRamPadArgs } from '@kelpie/shared-types';

/** Under TCG the RAM backend is replaced on the QEMU command line by a padded one (tcgRamPadArgs in
 * shared-types explains the QEMU 7.2 bug). libvirt keeps showing the size it was given; its own
 * `pc.ram` backend stays unused (never touched, not migrated). */
export const QEMU_XMLNS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** Adds the padded RAM backend to a domain being built (TCG only). */
export function addTcgRamPad(domain: XMLBuilder, memoryMib: number): void {
  const commandline = domain.ele(QEMU_XMLNS, 'qemu:commandline');
  for (const value of tcgRamPadArgs(memoryMib)) commandline.ele(QEMU_XMLNS, 'qemu:arg', { value });
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
  tcgRamPadArgs(memoryMib).forEach((value, i) => args[at + i]?.att('value', value));
  return doc.end({ prettyPrint: true });
}
