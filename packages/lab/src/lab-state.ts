import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A process the lab started (forwarder or something spawned inside a host); `down` kills it. */
export interface RecordedProcess {
  pid: number;
  argv: string[];
  /** Host name (`h1`) for processes inside a host; absent for root-namespace helpers. */
  host?: string;
  /** e.g. `agent`, `forward:6379` */
  role: string;
  logFile?: string;
  startedAt: string;
}

/** A process started again inside its host whenever the host boots (a lab BMC's power on). Only the
 * variables given for it are kept (not the spawning process's whole environment). */
export interface BootProcess {
  host: string;
  argv: string[];
  env: Record<string, string>;
  role: string;
  logFile?: string;
}

export interface LabState {
  name: string;
  subnet: number;
  hosts: string[];
  processes: RecordedProcess[];
  boot?: BootProcess[];
}

export function stateFile(stateDir: string): string {
  return join(stateDir, 'lab-state.json');
}

export async function readLabState(stateDir: string): Promise<LabState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(stateDir), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export async function writeLabState(stateDir: string, state: LabState): Promise<void> {
  const file = stateFile(stateDir);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, file);
}

let queue: Promise<unknown> = Promise.resolve();

/** Read-modify-write of the state file, serialized within this process. */
export function updateLabState(
  stateDir: string,
  initial: () => LabState,
  change: (state: LabState) => void | Promise<void>,
): Promise<LabState> {
  const next = queue.then(async () => {
    const state = (await readLabState(stateDir)) ?? initial();
    await change(state);
    await writeLabState(stateDir, state);
    return state;
  });
  queue = next.catch(() => undefined);
  return next;
}
