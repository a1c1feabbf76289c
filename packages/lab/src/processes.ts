import { readFile, stat } from 'node:fs/promises';
import { sleep } from './process-runner';

/** True when the pid exists and is not a zombie. */
export async function isAlive(pid: number | undefined): Promise<boolean> {
  if (!pid || pid <= 0) return false;
  try {
    const statLine = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = statLine.slice(statLine.lastIndexOf(')') + 2, statLine.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The process's command line as an argument array ([] when gone). */
export async function commandLine(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Inode of a namespace file (/proc/<pid>/ns/net or /run/netns/<name>), undefined when missing. */
export async function namespaceInode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and lives in the named network namespace. */
export async function isAliveInNetns(pid: number | undefined, netns: string): Promise<boolean> {
  if (!pid || !(await isAlive(pid))) return false;
  const [mine, theirs] = await Promise.all([
    namespaceInode(`/proc/${pid}/ns/net`),
    namespaceInode(`/run/netns/${netns}`),
  ]);
  return mine !== undefined && mine === theirs;
}

export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM (or `first`), wait up to graceMs, then SIGKILL what is left and wait for it to go. */
export async function killAndWait(
  pids: readonly number[],
  graceMs = 3000,
  first: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  const targets = [...new Set(pids.filter((p) => p > 0 && p !== process.pid))];
  for (const pid of targets) signal(pid, first);
  const deadline = Date.now() + graceMs;
  let alive = targets;
  while (alive.length && Date.now() < deadline) {
    await sleep(100);
    alive = await filterAlive(alive);
  }
  for (const pid of alive) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 5000;
  while (alive.length && Date.now() < killDeadline) {
    await sleep(100);
    alive = await filterAlive(alive);
  }
}

async function filterAlive(pids: readonly number[]): Promise<number[]> {
  const flags = await Promise.all(pids.map((pid) => isAlive(pid)));
  return pids.filter((_, i) => flags[i]);
}
