import { VirshError } from './virsh-error';
import { observed, type VirshResult, type VirshRunner } from './virsh-runner';
import { VirshSession, type VirshCaller } from './virsh-session';

/** Failures that belong to the domain, not to the session: they are the answer, not a reason to retry. */
const DOMAIN_ANSWERS = new Set(['domain_not_found', 'operation_invalid']);

/**
 * A few long-lived virsh sessions for the agent's frequent read calls (dominfo, domstate, dumpxml,
 * list): each call is a libvirt RPC on an idle session instead of a new process and connection.
 * Never a queue: when every session is busy (one may be waiting on a domain's job lock) the call runs
 * as its own process, as it did before. A session failure that is not the domain's answer (session
 * died, connection reset while libvirtd restarted) is retried once as a process, so callers see the
 * same results and errors as with the runner alone.
 */
export class VirshSessionPool implements VirshCaller {
  private readonly sessions: VirshSession[];
  private readonly busy = new Set<VirshSession>();

  constructor(
    private readonly runner: VirshRunner,
    size = 3,
  ) {
    this.sessions = Array.from({ length: size }, () => new VirshSession(runner, runner.timeoutMs));
  }

  async run(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<VirshResult> {
    const session = VirshSession.accepts(args) ? this.sessions.find((s) => !this.busy.has(s)) : undefined;
    if (!session) return this.runner.run(args, opts);
    this.busy.add(session);
    try {
      return await observed(this.runner.observe, args, () => session.run(args, opts));
    } catch (e) {
      if (e instanceof VirshError && DOMAIN_ANSWERS.has(e.code)) throw e;
      return this.runner.run(args, opts);
    } finally {
      this.busy.delete(session);
    }
  }

  close(): void {
    for (const s of this.sessions) s.close();
  }
}
