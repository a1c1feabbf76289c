import { HostCapabilities } from '@kelpie/shared-types';
import type { NodeInfo } from './parsers';
import { asArray, attr, memoryKiB, node, parseXml, text } from './xml';

export interface CapabilitiesXmlInfo {
  hostUuid: string;
  arch: string;
  model: string;
  vendor: string;
  flags: string[];
  sockets: number;
  dies: number;
  cores: number;
  threads: number;
  numaCells: Array<{ id: number; memoryKiB: number; cpus: number[] }>;
  /** Guest domain types per guest arch, e.g. { x86_64: ['qemu', 'kvm'] }. */
  guestDomainTypes: Record<string, string[]>;
  migrationTransports: string[];
}

export function parseCapabilitiesXml(xml: string): CapabilitiesXmlInfo {
  const caps = node(parseXml(xml).capabilities);
  const host = node(caps?.host);
  if (!caps || !host) throw new Error('not a libvirt capabilities XML document');
  const cpu = node(host.cpu) ?? {};
  const topo = node(cpu.topology);
  const cells = asArray(node(node(host.topology)?.cells)?.cell).map((c) => ({
    id: Number(attr(c, 'id') ?? 0),
    memoryKiB: memoryKiB(c.memory) ?? 0,
    cpus: asArray(node(c.cpus)?.cpu).map((x) => Number(attr(x, 'id'))),
  }));
  const guestDomainTypes: Record<string, string[]> = {};
  for (const g of asArray(caps.guest)) {
    for (const a of asArray(g.arch)) {
      const name = attr(a, 'name') ?? '';
      guestDomainTypes[name] = asArray(a.domain).map((d) => attr(d, 'type') ?? '');
    }
  }
  const transports = node(node(host.migration_features)?.uri_transports);
  return {
    hostUuid: text(host.uuid) ?? '',
    arch: text(cpu.arch) ?? '',
    model: text(asArray(cpu.model)[0]) ?? '',
    vendor: text(cpu.vendor) ?? '',
    flags: asArray(cpu.feature)
      .map((f) => attr(f, 'name') ?? '')
      .filter(Boolean),
    sockets: Number(attr(topo, 'sockets') ?? 1),
    dies: Number(attr(topo, 'dies') ?? 1),
    cores: Number(attr(topo, 'cores') ?? 1),
    threads: Number(attr(topo, 'threads') ?? 1),
    numaCells: cells,
    guestDomainTypes,
    migrationTransports: asArray<string>(transports?.uri_transport).map((t) => String(text(t) ?? t)),
  };
}

export interface HostCapabilitiesInput {
  hostname: string;
  capabilities: CapabilitiesXmlInfo;
  nodeinfo: NodeInfo;
  version: { library?: string; hypervisor?: string };
  virtualization: { virtualization: 'kvm' | 'tcg'; reason?: string };
  cpuModes?: HostCapabilities['cpuModes'];
}

export function toHostCapabilities(i: HostCapabilitiesInput): HostCapabilities {
  const c = i.capabilities;
  const caps: HostCapabilities = {
    hostname: i.hostname,
    hostUuid: c.hostUuid,
    cpu: {
      arch: c.arch,
      model: c.model,
      vendor: c.vendor,
      flags: c.flags,
      sockets: c.sockets,
      cores: c.cores,
      threads: c.threads,
      count: i.nodeinfo.cpus || c.numaCells.reduce((n, cell) => n + cell.cpus.length, 0),
      ...(i.nodeinfo.mhz ? { mhz: i.nodeinfo.mhz } : {}),
    },
    numaCells: c.numaCells,
    memoryKiB: i.nodeinfo.memoryKiB || c.numaCells.reduce((n, cell) => n + cell.memoryKiB, 0),
    libvirtVersion: i.version.library ?? '',
    qemuVersion: i.version.hypervisor ?? '',
    virtualization: i.virtualization.virtualization,
  };
  if (i.virtualization.reason) caps.virtualizationReason = i.virtualization.reason;
  if (i.cpuModes) caps.cpuModes = i.cpuModes;
  return HostCapabilities.parse(caps);
}
