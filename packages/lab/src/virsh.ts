import { run, RunResult, runOrThrow } from './process-runner';

/** `virsh -c <uri> ...args` (argument array, 30 s default timeout). */
export function virsh(uri: string, args: readonly string[], timeoutMs = 30000): Promise<RunResult> {
  return run('virsh', ['-c', uri, ...args], { timeoutMs });
}

export function virshOrThrow(uri: string, args: readonly string[], timeoutMs = 30000): Promise<string> {
  return runOrThrow('virsh', ['-c', uri, ...args], { timeoutMs });
}

/** Names of running (or, with all, defined) domains. */
export async function listDomains(uri: string, all = false): Promise<string[]> {
  const out = await virshOrThrow(uri, ['list', '--name', ...(all ? ['--all'] : [])]);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
