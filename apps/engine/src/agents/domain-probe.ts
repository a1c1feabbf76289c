import { AgentCommandError } from './agent-command.error';
import type { CommandBus } from './command-bus.service';

/** What a host's libvirt says of a domain: its state (`running`, `paused`, `shutoff`…), `absent`
 * when libvirt does not know it, `unknown` when the host did not answer (with why). */
export type DomainPresence = { state: string } | { state: 'absent' } | { state: 'unknown'; why: string };

/** Asks one host's agent about one domain (read-only; used to settle tasks of a dead engine). */
export async function domainOn(bus: CommandBus, hostId: string, uuid: string): Promise<DomainPresence> {
  try {
    const info = await bus.send(hostId, 'vm.migration-info', { uuid });
    return { state: info.state };
  } catch (e) {
    if (e instanceof AgentCommandError && e.code === 'domain_not_found') return { state: 'absent' };
    return { state: 'unknown', why: (e as Error).message };
  }
}

/** libvirt runs it (running or paused by the guest / a migration switch-over). */
export const isRunning = (p: DomainPresence) => p.state === 'running' || p.state === 'paused';
