import type { HostCapabilities } from '@kelpie/shared-types';
import { asArray, attr, node, parseXml, text } from './xml';

export type CpuModes = NonNullable<HostCapabilities['cpuModes']>;

/** The guest CPU choices `virsh domcapabilities` offers: host-model / host-passthrough support and the
 * named models this host can run (usable='yes'; under TCG that is what QEMU emulates, e.g. qemu64). */
export function parseCpuModes(xml: string): CpuModes {
  const root = node(parseXml(xml).domainCapabilities);
  if (!root) throw new Error('not a libvirt domainCapabilities XML document');
  const modes = asArray(node(root.cpu)?.mode);
  const mode = (name: string) => modes.find((m) => attr(m, 'name') === name);
  const supported = (name: string) => attr(mode(name), 'supported') === 'yes';
  return {
    hostModel: supported('host-model'),
    hostPassthrough: supported('host-passthrough'),
    custom: asArray(node(mode('custom'))?.model)
      .filter((m) => attr(m, 'usable') === 'yes')
      .map((m) => text(m) ?? '')
      .filter(Boolean),
  };
}
