import { HostStatus } from '@kelpie/shared-types';
import type { TaskContext } from '../tasks/tasks.service';
import type { HostEntity } from '../hosts/host.entity';
import { loadAgentBundle } from './agent-bundle';
import {
  enableLockManager,
  installAgent,
  removeAgentFiles,
  startAgent,
  type Installed,
} from './agent-install';
import { EnrollSteps } from './enroll-steps';
import { preflight, type Endpoint } from './preflight';
import { type HostKey, type SshAuth, SshSession, type SshTarget } from './ssh-session';
import type { AgentCredentials } from '@kelpie/shared-types';

/** What one enrollment run needs from the engine (kept narrow: the run is plain code, unit-testable). */
export interface EnrollmentPorts {
  pinHostKey(host: HostEntity, key: HostKey): Promise<void>;
  reach(host: HostEntity): Promise<{ redis: Endpoint[]; peers: Endpoint[] }>;
  issueCredentials(hostId: string): Promise<AgentCredentials>;
  /** Drops what the previous agent reported about the host (its capabilities): the new agent's hello
   * replaces them, and until then the host cannot be mistaken for ready. */
  forgetAgentReport(hostId: string): Promise<void>;
  /** Resolves once the host's agent was heard after `since` and has said what it can run (its
   * hello: capabilities, virtualization). */
  firstHeartbeat(hostId: string, since: Date): Promise<HostStatus>;
  bundleDir: string;
  redisPrefix: string;
  /** Where the host's libvirt keeps disk leases: a directory on the datacenter's shared storage, or
   * null for leases on the disk files themselves. */
  lockspace(host: HostEntity): Promise<string | null>;
  /** The engine's authorized_keys line (soft fencing). */
  engineKeyLine: string;
  /** The agents' metrics endpoint: its port on the host's address and the token it requires. */
  agentMetrics?: { port: number; token: string };
}

export interface EnrollmentRequest {
  host: HostEntity;
  target: SshTarget;
  auth: SshAuth;
  fingerprint: string;
}

/**
 * One enrollment: log in (host key checked against the confirmed/pinned fingerprint), preflight,
 * install or upgrade the agent, start it, wait for its first heartbeat. Every step is a task step
 * with its result; the first failure ends the run, and a first install that fails leaves nothing.
 */
export async function runEnrollment(
  ctx: TaskContext,
  req: EnrollmentRequest,
  ports: EnrollmentPorts,
): Promise<Record<string, unknown>> {
  const steps = new EnrollSteps((list, message, pct) => ctx.progress(pct, message, { steps: list }));
  let ssh: SshSession | undefined;
  let installed: Installed | undefined;
  try {
    await steps.run('ssh', async () => {
      ssh = await SshSession.open(req.target, req.auth, req.fingerprint);
      await ports.pinHostKey(req.host, ssh.hostKey);
      return `logged in as ${req.target.user}@${req.target.address}:${req.target.port}, host key ${ssh.hostKey.type} ${ssh.hostKey.fingerprint}`;
    });
    const session = ssh!;
    const facts = await preflight(session, steps, await ports.reach(req.host));
    const bundle = await loadAgentBundle(ports.bundleDir);
    await steps.run('install', async () => {
      installed = await installAgent(session, bundle, {
        credentials: await ports.issueCredentials(req.host.id),
        redisPrefix: ports.redisPrefix,
        nodeBinary: facts.nodeBinary,
        virtualization: facts.virtualization,
        engineKeyLine: ports.engineKeyLine,
        ...(ports.agentMetrics
          ? {
              metrics: {
                listen: hostPort(req.host.address, ports.agentMetrics.port),
                token: ports.agentMetrics.token,
              },
            }
          : {}),
      });
      return `${installed.fresh ? 'installed' : 'upgraded'} agent ${bundle.version} (sha256 ${bundle.sha256.slice(0, 12)}… verified on the host)`;
    });
    await steps.run('leases', async () => enableLockManager(session, await ports.lockspace(req.host)));
    await steps.run('start', async () => {
      await ports.forgetAgentReport(req.host.id);
      return startAgent(session);
    });
    // After the start returned: an upgraded host's old agent has stopped, what is heard next is the new one.
    const since = new Date();
    let status: HostStatus = HostStatus.Installing;
    await steps.run('heartbeat', async () => {
      status = await ports.firstHeartbeat(req.host.id, since);
      return `the agent reported in; host is ${status}`;
    });
    return {
      hostId: req.host.id,
      hostKeyFingerprint: session.hostKey.fingerprint,
      agentVersion: bundle.version,
      status,
    };
  } catch (e) {
    if (ssh && installed?.fresh) await removeAgentFiles(ssh).catch(() => undefined);
    throw e;
  } finally {
    ssh?.close();
  }
}

/** `address:port`, an IPv6 address in brackets. */
const hostPort = (address: string, port: number) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
