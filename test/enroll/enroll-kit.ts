/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { Lab, type LabSshAccess, type LabStatus } from '@kelpie/lab';
import type { Host, Task } from '@kelpie/shared-types';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiResponse, apiOk } from '../support/engine';
import { EngineProcess } from '../support/engine-process';
import type { TestPlatform } from '../support/platform';

const execFileP = promisify(execFile);

/** What the enrollment tests share: one lab (kqg1), one engine process (its log file is grepped). */
export interface EnrollWorld {
  lab: Lab;
  labStatus: LabStatus;
  engine: EngineProcess;
  access: LabSshAccess;
  clusterId: string;
  datacenterId: string;
  dbUrl: string;
}

export async function api<T = any>(
  w: EnrollWorld,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  return w.engine.api<T>(method, `/api/v1${path}`, body) as Promise<ApiResponse<T>>;
}

export const ok = <T = any>(w: EnrollWorld, method: string, path: string, body?: unknown): Promise<T> =>
  apiOk<T>(w.engine, method, path, body);

/** POST expecting 202 + a task; waits for it to be final and returns it (succeeded or not). */
export async function finished(w: EnrollWorld, method: string, path: string, body?: unknown): Promise<Task> {
  const res = await api<Task>(w, method, path, body);
  if (res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  const deadline = Date.now() + 180_000;
  let t = res.body;
  while (['queued', 'running'].includes(t.status) && Date.now() < deadline)
    t = await ok<Task>(w, 'GET', `/tasks/${t.id}?wait=10000`);
  return t;
}

export function stepOf(t: Task, name: string) {
  return t.steps.find((s) => s.name === name);
}

/** The per-host directory bound over /opt/kelpie-agent (or another) inside the lab host. */
export async function filesIn(
  w: EnrollWorld,
  labHost: string,
  dir: 'opt-kelpie-agent' | 'etc-kelpie' | 'var-lib-kelpie-agent',
) {
  return readdir(join(w.lab.host(labHost).dir, dir), { recursive: true });
}

/** Pids of the installed agent (node …/opt/kelpie-agent/lib/agent.js) in the lab host's network namespace
 * (lab hosts share the machine's pid namespace: a plain pgrep would see every host's agent). */
export function agentPids(w: EnrollWorld, labHost: string): Promise<number[]> {
  return hostPidsRunning(w, labHost, '/opt/kelpie-agent/lib/agent.js');
}

/** The host's lease renewer, run apart from its agent (the supervisor's, where systemd does not run). */
export function renewerPids(w: EnrollWorld, labHost: string): Promise<number[]> {
  return hostPidsRunning(w, labHost, '/opt/kelpie-agent/lease-renewer.sh');
}

async function hostPidsRunning(w: EnrollWorld, labHost: string, file: string): Promise<number[]> {
  const { stdout } = await execFileP('ip', ['netns', 'pids', w.lab.host(labHost).netns]);
  const pids: number[] = [];
  for (const pid of stdout.split('\n').filter(Boolean).map(Number)) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.split('\0').includes(file)) pids.push(pid);
  }
  return pids;
}

export async function pgDump(url: string): Promise<string> {
  const { stdout } = await execFileP('pg_dump', ['--data-only', url], { maxBuffer: 256 << 20 });
  return stdout;
}

export async function hostOf(w: EnrollWorld, id: string): Promise<Host> {
  return ok<Host>(w, 'GET', `/hosts/${id}`);
}

/** The world of an enrollment test: its lab, engine, SSH access, and a datacenter with one cluster. */
export async function enrollWorld(
  parts: Pick<EnrollWorld, 'lab' | 'labStatus' | 'engine' | 'dbUrl'>,
  datacenterName: string,
): Promise<EnrollWorld> {
  const w: EnrollWorld = { ...parts, access: await parts.lab.sshAccess(), clusterId: '', datacenterId: '' };
  const dc = await ok<{ id: string }>(w, 'POST', '/datacenters', { name: datacenterName });
  const cluster = await ok<{ id: string }>(w, 'POST', '/clusters', { name: 'main', datacenterId: dc.id });
  w.datacenterId = dc.id;
  w.clusterId = cluster.id;
  return w;
}

/** The enrolled hosts as a TestPlatform (for MigrationKit): lab host name → engine host id. */
export function enrolledPlatform(w: EnrollWorld, hostIds: Record<string, string>): TestPlatform {
  const hosts: Record<string, Host> = {};
  for (const [h, id] of Object.entries(hostIds)) hosts[h] = { id } as Host;
  return {
    lab: w.lab,
    labStatus: w.labStatus,
    engine: { api: (m: string, p: string, b?: unknown) => w.engine.api(m, p, b) } as never,
    datacenterId: w.datacenterId,
    clusterId: w.clusterId,
    hosts,
    startAgent: async () => undefined,
    close: async () => undefined,
  };
}
