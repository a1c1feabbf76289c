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

/** The named models domcapabilities marks usable='no' (libvirt 9 does not say why). */
export function parseUnusableCpuModels(xml: string): string[] {
  const root = node(parseXml(xml).domainCapabilities);
  const custom = asArray(node(root?.cpu)?.mode).find((m) => attr(m, 'name') === 'custom');
  return asArray(node(custom)?.model)
    .filter((m) => attr(m, 'usable') === 'no')
    .map((m) => text(m) ?? '')
    .filter(Boolean);
}

/** The features libvirt names in a failed `hypervisor-cpu-compare --error` ("Host CPU does not provide
 * required features: a, b"); empty when the message names none. */
export function parseMissingFeatures(stderr: string): string[] {
  const m = /does not provide required features?: ([^\n]+)/.exec(stderr);
  return m
    ? m[1]!
        .split(',')
        .map((f) => f.trim())
        .filter((f) => /^[A-Za-z0-9_.-]+$/.test(f))
    : [];
}
