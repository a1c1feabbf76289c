import { HOST_PATHS } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { HostEntity } from '../hosts/host.entity';
import { SshSession } from '../host-enrollment/ssh-session';
import { EngineSshKey } from '../trust/engine-ssh-key';
import { FenceAgent, FenceOutcome, FenceStepAudit } from './fence-agent';

const SCRIPT_TIMEOUT_MS = 60_000;

/**
 * Soft fencing of a host enrolled over SSH: the engine's own key (which the host lets run nothing but
 * the soft-fence script) against the pinned host key; the script restarts the agent, then libvirtd if
 * it does not answer. A host whose agent only hung comes back without a power cycle; it proves
 * nothing about the VMs, so hard fencing follows when the host stays silent.
 */
@Injectable()
export class SshSoftFenceAgent implements FenceAgent {
  readonly kind = 'ssh-soft';
  readonly soft = true;

  constructor(private readonly key: EngineSshKey) {}

  async appliesTo(host: HostEntity): Promise<boolean> {
    return !!(host.sshHostKeyFingerprint && host.sshPort && host.sshUser);
  }

  async fence(host: HostEntity, signal: AbortSignal, step: FenceStepAudit): Promise<FenceOutcome> {
    const target = { address: host.address, port: host.sshPort!, user: host.sshUser! };
    await step(
      `restart its agent over SSH (${target.user}@${target.address}:${target.port}, host key ${host.sshHostKeyFingerprint})`,
    );
    const ssh = await SshSession.open(
      target,
      { privateKey: this.key.privateKeyPem },
      host.sshHostKeyFingerprint!,
    );
    const abort = () => ssh.close();
    signal.addEventListener('abort', abort);
    try {
      // The key's forced command runs whatever is asked; asking for the script keeps the log honest.
      const r = await ssh.exec([HOST_PATHS.softFence], undefined, SCRIPT_TIMEOUT_MS);
      const said = `${r.stdout}\n${r.stderr}`
        .trim()
        .split(/\s*\n\s*/)
        .filter(Boolean)
        .join('; ');
      await step(`soft fence script: ${said || 'no output'} (exit ${r.code})`);
      return r.code === 0
        ? { ok: true, hostIsOff: false, detail: `restarted over SSH: ${said}` }
        : { ok: false, hostIsOff: false, detail: `the soft fence script failed (exit ${r.code}): ${said}` };
    } finally {
      signal.removeEventListener('abort', abort);
      ssh.close();
    }
  }
}
