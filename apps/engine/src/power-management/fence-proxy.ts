import { HostStatus } from '@kelpie/shared-types';
import type { FenceProxyKind } from '../config/config.schema';

/** Who may run a fence agent call: a host's agent (by proxy) or the engine itself. */
export type FenceRunner = { via: 'host'; id: string; name: string } | { via: 'engine' };

interface Candidate {
  id: string;
  name: string;
  status: HostStatus;
}

/**
 * The runners to try for a fence of `target`, in the preference's order (oVirt's proxy selection):
 * `cluster` then `dc` give every Up host of the fenced host's cluster, then of the rest of its
 * datacenter, by name; `engine` the engine itself. The fenced host never runs its own fence, and a
 * host that is not Up is not asked (its agent would not answer, or it is being serviced). Pure.
 */
export function fenceRunners(
  target: { id: string },
  preference: readonly FenceProxyKind[],
  clusterHosts: Candidate[],
  datacenterHosts: Candidate[],
): FenceRunner[] {
  const runners: FenceRunner[] = [];
  const taken = new Set([target.id]);
  const add = (hosts: Candidate[]) => {
    for (const h of [...hosts].sort((a, b) => a.name.localeCompare(b.name))) {
      if (taken.has(h.id) || h.status !== HostStatus.Up) continue;
      taken.add(h.id);
      runners.push({ via: 'host', id: h.id, name: h.name });
    }
  };
  for (const kind of preference) {
    if (kind === 'cluster') add(clusterHosts);
    else if (kind === 'dc') add(datacenterHosts);
    else runners.push({ via: 'engine' });
  }
  return runners;
}

export const runnerName = (r: FenceRunner) => (r.via === 'engine' ? 'the engine' : `host ${r.name}`);
