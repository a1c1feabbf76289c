import { DomainSnapshot } from '@kelpie/shared-types';
import type { VirshStateWord } from '../operations/parsers';
import type { DomainXmlInfo } from './domain-xml';

export interface DomainObservation {
  /** `virsh dominfo` as key/value pairs. */
  dominfo: Record<string, string>;
  /** `virsh domstate --reason`. */
  state: { state: VirshStateWord; reason?: string };
  /** Parsed live XML (`virsh dumpxml`). */
  xml: DomainXmlInfo;
}

function kib(v: string | undefined): number | undefined {
  const m = /^(\d+)\s*KiB$/i.exec(v?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

/** dominfo + domstate --reason + dumpxml → DomainSnapshot (validated). */
export function toDomainSnapshot(o: DomainObservation): DomainSnapshot {
  const { dominfo, state, xml } = o;
  const vcpus = Number(dominfo['CPU(s)']);
  const snap: DomainSnapshot = {
    uuid: (dominfo['UUID'] ?? xml.uuid).toLowerCase(),
    name: dominfo['Name'] ?? xml.name,
    state: state.state,
    persistent: (dominfo['Persistent'] ?? 'yes') === 'yes',
    managed: xml.managed,
    vcpus: Number.isInteger(vcpus) ? vcpus : xml.vcpus,
    memoryKiB: kib(dominfo['Used memory']) ?? xml.currentMemoryKiB,
    maxMemoryKiB: kib(dominfo['Max memory']) ?? xml.maxMemoryKiB,
  };
  if (state.reason) snap.reason = state.reason;
  if (xml.vncPort !== undefined && state.state !== 'shutoff') snap.vncPort = xml.vncPort;
  return DomainSnapshot.parse(snap);
}
