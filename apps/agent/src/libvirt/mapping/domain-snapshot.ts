import { DomainSnapshot } from '@kelpie/shared-types';
import type { VirshStateWord } from './parsers';
import type { DomainXmlInfo } from './domain-xml';

export interface DomainObservation {
  /** `virsh dominfo` as key/value pairs. Optional: of what the snapshot needs it alone carries
   * `Persistent` (the live XML has the same vcpus/memory), so it may be replaced by `persistent`. */
  dominfo?: Record<string, string>;
  /** Persistence known to the caller without asking libvirt (used when `dominfo` is absent). */
  persistent?: boolean;
  /** `virsh domstate --reason`. */
  state: { state: VirshStateWord; reason?: string };
  /** Parsed live XML (`virsh dumpxml`). */
  xml: DomainXmlInfo;
}

function kib(v: string | undefined): number | undefined {
  const m = /^(\d+)\s*KiB$/i.exec(v?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

/** [dominfo +] domstate --reason + dumpxml → DomainSnapshot (validated). */
export function toDomainSnapshot(o: DomainObservation): DomainSnapshot {
  const { dominfo = {}, state, xml } = o;
  const vcpus = Number(dominfo['CPU(s)']);
  const snap: DomainSnapshot = {
    uuid: (dominfo['UUID'] ?? xml.uuid).toLowerCase(),
    name: dominfo['Name'] ?? xml.name,
    state: state.state,
    persistent:
      dominfo['Persistent'] !== undefined ? dominfo['Persistent'] === 'yes' : (o.persistent ?? true),
    managed: xml.managed,
    vcpus: Number.isInteger(vcpus) ? vcpus : xml.currentVcpus,
    memoryKiB: kib(dominfo['Used memory']) ?? xml.currentMemoryKiB,
    maxMemoryKiB: kib(dominfo['Max memory']) ?? xml.maxMemoryKiB,
  };
  if (state.reason) snap.reason = state.reason;
  if (xml.vncPort !== undefined && state.state !== 'shutoff') snap.vncPort = xml.vncPort;
  return DomainSnapshot.parse(snap);
}
