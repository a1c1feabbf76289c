import { KELPIE_VM_XMLNS } from '@kelpie/shared-types';
import { asArray, attr, memoryKiB, node, parseXml, text, type XmlNode } from './xml';

/** What the agent reads from a domain's XML. */
export interface DomainXmlInfo {
  uuid: string;
  name: string;
  /** `<domain type=...>`: qemu (TCG) or kvm. */
  type: string;
  /** Has Kelpie's `<metadata>` element (namespace KELPIE_VM_XMLNS). */
  managed: boolean;
  /** Attributes of Kelpie's metadata element (e.g. the engine's vm id), when managed. */
  kelpie?: Record<string, string>;
  vcpus: number;
  /** `<vcpu current=...>` when set, else `vcpus` (what `virsh dominfo` reports as CPU(s)). */
  currentVcpus: number;
  maxMemoryKiB: number;
  currentMemoryKiB: number;
  /** `graphics[type=vnc]@port` when > 0 (only in live XML of a running domain). */
  vncPort?: number;
  /** Has `<os><nvram>` (UEFI vars): undefine needs --nvram. */
  hasNvram: boolean;
  disks: Array<{ device: string; target?: string; source?: string }>;
  interfaces: Array<{ type: string; mac?: string; target?: string; source?: string }>;
}

/** Finds Kelpie's element among `<metadata>`'s children, whatever prefix declares the namespace. */
function kelpieMetadata(metadata: XmlNode | undefined): Record<string, string> | null {
  if (!metadata) return null;
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith('@_') || key === '#text') continue;
    const colon = key.indexOf(':');
    const prefix = colon > 0 ? key.slice(0, colon) : null;
    for (const el of asArray(value)) {
      if (!el || typeof el !== 'object') continue;
      const ns = prefix ? (el as XmlNode)[`@_xmlns:${prefix}`] : (el as XmlNode)['@_xmlns'];
      if (ns === KELPIE_VM_XMLNS) {
        const attrs: Record<string, string> = {};
        for (const [k, v] of Object.entries(el as XmlNode)) {
          if (k.startsWith('@_') && !k.startsWith('@_xmlns')) attrs[k.slice(2)] = String(v);
        }
        return attrs;
      }
    }
  }
  return null;
}

export function parseDomainXml(xml: string): DomainXmlInfo {
  const doc = node(parseXml(xml).domain);
  if (!doc) throw new Error('not a libvirt domain XML document');
  const meta = kelpieMetadata(node(doc.metadata));
  const devices = node(doc.devices) ?? {};
  let vncPort: number | undefined;
  for (const g of asArray(devices.graphics)) {
    if (attr(g, 'type') !== 'vnc') continue;
    const port = Number(attr(g, 'port'));
    if (Number.isInteger(port) && port > 0) vncPort = port;
    break;
  }
  const os = node(doc.os);
  const maxMem = memoryKiB(doc.memory) ?? 0;
  const vcpus = Number(text(doc.vcpu) ?? 0) || 0;
  const info: DomainXmlInfo = {
    uuid: (text(doc.uuid) ?? '').toLowerCase(),
    name: text(doc.name) ?? '',
    type: attr(doc, 'type') ?? '',
    managed: meta !== null,
    vcpus,
    currentVcpus: Number(attr(doc.vcpu, 'current')) || vcpus,
    maxMemoryKiB: maxMem,
    currentMemoryKiB: memoryKiB(doc.currentMemory) ?? maxMem,
    hasNvram: os?.nvram !== undefined,
    disks: asArray(devices.disk).map((d) => {
      const src = node(d.source);
      return {
        device: attr(d, 'device') ?? 'disk',
        target: attr(d.target, 'dev'),
        source: src
          ? (attr(src, 'file') ?? attr(src, 'dev') ?? attr(src, 'name') ?? attr(src, 'volume'))
          : undefined,
      };
    }),
    interfaces: asArray(devices.interface).map((i) => ({
      type: attr(i, 'type') ?? '',
      mac: attr(i.mac, 'address'),
      target: attr(i.target, 'dev'),
      source: attr(i.source, 'bridge') ?? attr(i.source, 'network') ?? attr(i.source, 'dev'),
    })),
  };
  if (meta) info.kelpie = meta;
  if (vncPort !== undefined) info.vncPort = vncPort;
  return info;
}
