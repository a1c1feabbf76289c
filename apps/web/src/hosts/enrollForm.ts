import type { ApiComponents, Task, TaskStep } from '@kelpie/shared-types';
import { ApiError } from '../api/client';

/** The "Add host" / "Reinstall" form as typed. Secrets stay in this state only until the request is sent. */
export interface EnrollForm {
  name: string;
  clusterId: string;
  address: string;
  sshPort: string;
  sshUser: string;
  auth: 'password' | 'key';
  password: string;
  privateKey: string;
  passphrase: string;
}

export const EMPTY_ENROLL_FORM: EnrollForm = {
  name: '',
  clusterId: '',
  address: '',
  sshPort: '22',
  sshUser: 'root',
  auth: 'password',
  password: '',
  privateKey: '',
  passphrase: '',
};

export type EnrollMode = 'add' | 'reinstall';

/** `POST /hosts` (a new host) or `POST /hosts/{id}/enroll` (its SSH credentials only). */
export type EnrollBody =
  ApiComponents['schemas']['EnrollHostDto'] | ApiComponents['schemas']['SshCredentialsDto'];

/** The request body, or the fields to fix. `fingerprint`: the host key the admin confirmed. */
export function enrollRequest(
  f: EnrollForm,
  mode: EnrollMode,
  fingerprint?: string,
): { errors: Record<string, string> } | { body: EnrollBody } {
  const errors: Record<string, string> = {};
  if (mode === 'add') {
    if (!f.name.trim()) errors.name = 'Give the host a name';
    if (!f.clusterId) errors.clusterId = 'Choose a cluster';
    if (!f.address.trim()) errors.address = 'Give the address the engine reaches the host by';
  }
  const port = Number(f.sshPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.sshPort = 'A port from 1 to 65535';
  if (!f.sshUser.trim()) errors.sshUser = 'Give the SSH user (root)';
  if (f.auth === 'password' && !f.password) errors.password = 'Give the password of the SSH user';
  if (f.auth === 'key' && !f.privateKey.trim()) errors.privateKey = 'Paste the private key';
  if (Object.keys(errors).length) return { errors };
  const credentials = {
    sshPort: port,
    sshUser: f.sshUser.trim(),
    ...(f.auth === 'password'
      ? { password: f.password }
      : { privateKey: f.privateKey, ...(f.passphrase ? { passphrase: f.passphrase } : {}) }),
    ...(fingerprint ? { expectedHostKeyFingerprint: fingerprint } : {}),
  };
  if (mode === 'reinstall') return { body: credentials };
  return { body: { name: f.name.trim(), clusterId: f.clusterId, address: f.address.trim(), ...credentials } };
}

/** The fingerprint a 409 host_key_unconfirmed asks the admin to confirm, else null. */
export function unconfirmedFingerprint(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.body?.code !== 'host_key_unconfirmed') return null;
  return err.body.details?.[0]?.reason ?? null;
}

const STEP_LABEL: Record<string, string> = {
  ssh: 'SSH login and host key',
  system: 'Operating system',
  cpu: 'CPU',
  kvm: 'KVM',
  libvirt: 'libvirt and QEMU',
  resources: 'Memory and disk',
  'virt-host-validate': 'virt-host-validate',
  clock: 'Clock',
  node: 'Node.js',
  network: 'Network',
  install: 'Install the agent',
  start: 'Start the agent',
  heartbeat: 'First heartbeat',
};

export const stepLabel = (s: TaskStep): string => STEP_LABEL[s.name] ?? s.name;

/** Step status → the badge the portal shows for task states. */
export const STEP_BADGE: Record<TaskStep['status'], string> = {
  pending: 'queued',
  running: 'running',
  done: 'succeeded',
  failed: 'failed',
  skipped: 'cancelled',
};

/** What the admin reads when the enrollment failed: the failed step and what to fix. */
export function failureText(t: Task): string | null {
  if (t.status !== 'failed' && t.status !== 'interrupted') return null;
  const failed = t.steps.find((s) => s.status === 'failed');
  return failed ? `${stepLabel(failed)}: ${failed.message ?? 'failed'}` : (t.errorMessage ?? t.status);
}
