import { spawn } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FenceAction = 'status' | 'off' | 'on';

/** Where and how to reach a BMC (the password in clear: only in memory, only for one call). */
export interface IpmiTarget {
  address: string;
  port: number;
  username: string;
  password: string;
  lanplus: boolean;
  /** IPMI 2.0 cipher suite; undefined lets ipmitool discover it (slow on some BMCs). */
  cipher?: number;
}

/** What one fence_ipmilan call established. */
export interface FenceRun {
  ok: boolean;
  /** The power state the BMC reported (status) or reached (off/on). */
  powerStatus?: 'on' | 'off';
  /** One line for the audit log and the API: what the BMC answered, or what to fix. */
  detail: string;
  /** The setting an admin should look at when the call failed because of the settings. */
  field?: 'address' | 'username' | 'password';
  /** The fence agent is not installed where it was to run (another runner may have it). */
  missing?: boolean;
}

export const FENCE_IPMILAN = 'fence_ipmilan';

/**
 * fence_ipmilan always puts the password on ipmitool's command line (`-P <password>`, or `-P ''`
 * without one), where every user of the machine reads it in /proc/<pid>/cmdline for the length of the
 * call. This wrapper, given to fence_ipmilan as its ipmitool, drops `-P` and its value and runs
 * ipmitool with `-E`, which reads the password from IPMI_PASSWORD in its environment — readable only
 * by its own user (/proc/<pid>/environ is 0400). Argument arrays only: "$@" is never re-split.
 */
export const IPMITOOL_ENV_WRAPPER = `#!/bin/sh
skip=
for a do
  shift
  if [ -n "$skip" ]; then skip=; continue; fi
  if [ "$a" = -P ]; then skip=1; continue; fi
  set -- "$@" "$a"
done
exec ipmitool -E "$@"
`;

let wrapperPath: Promise<string> | undefined;

/** The wrapper, written once per engine process into a private (0700) directory. */
export function ipmitoolEnvWrapper(): Promise<string> {
  wrapperPath ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-fence-'));
    const file = join(dir, 'ipmitool-env');
    await writeFile(file, IPMITOOL_ENV_WRAPPER, { mode: 0o700 });
    await chmod(file, 0o700);
    return file;
  })();
  return wrapperPath;
}

/**
 * How long fence_ipmilan may wait (seconds, fence-agents' own options). Its defaults let one call to a
 * dead BMC last ~30 s (ipmitool retries until the power timeout when the BMC's port refuses), so a
 * fence (off, then a status to confirm) took ~60 s before the host could be declared unreachable.
 * Measured with fence-agents 4.12 against a closed port and a silent address: ~11 s per call with
 * these. A BMC that answers reports a power change within seconds; 10 s is oVirt's order of magnitude
 * too. `retry_on` 1: a power on that fails is not retried by the agent (the engine audits it).
 */
export const FENCE_IPMILAN_TIMEOUTS = {
  login_timeout: '5',
  power_timeout: '10',
  shell_timeout: '5',
  retry_on: '1',
} as const;

/** The engine's own cap on one fence_ipmilan run (killed after it): above the agent's worst case with
 * FENCE_IPMILAN_TIMEOUTS, so a hung agent or ipmitool can never hold a fence longer. */
export const FENCE_CALL_TIMEOUT_MS = 20_000;

/**
 * The options as fence-agents reads them on standard input (one `key="value"` per line, as pacemaker
 * passes them): nothing secret appears in the engine's argv, logs or environment, and the password
 * is not among them either: it reaches ipmitool in its environment (see IPMITOOL_ENV_WRAPPER). Values
 * are quoted (fencing.py strips surrounding spaces and one pair of quotes) and must not hold a line
 * break, which would smuggle another option in. `verbose_level=2` makes ipmitool say why a session
 * failed (wrong password vs. unknown user vs. no answer).
 */
export function fenceAgentInput(t: IpmiTarget, action: FenceAction, ipmitoolPath: string): string {
  const options: Record<string, string> = {
    action,
    ip: t.address,
    ipport: String(t.port),
    username: t.username,
    ipmitool_path: ipmitoolPath,
    lanplus: t.lanplus ? '1' : '0',
    verbose_level: '2',
    ...FENCE_IPMILAN_TIMEOUTS,
  };
  if (t.cipher !== undefined) options.cipher = String(t.cipher);
  return Object.entries(options)
    .map(([k, v]) => {
      if (/[\r\n\0]/.test(v)) throw new Error(`fence option ${k} holds a line break`);
      return `${k}="${v}"\n`;
    })
    .join('');
}

/** Reads what fence_ipmilan printed and its exit code (0 on / success, 2 off for `status`). Pure. */
export function interpretFenceOutput(action: FenceAction, code: number | null, output: string): FenceRun {
  const status = /^(?:Status|Success): (?:Powered )?(ON|OFF)\b/im.exec(output)?.[1]?.toLowerCase() as
    'on' | 'off' | undefined;
  if (action === 'status' && status && (code === 0 || code === 2))
    return { ok: true, powerStatus: status, detail: `the BMC reports power ${status}` };
  if (action !== 'status' && code === 0)
    return { ok: true, powerStatus: action, detail: `the BMC powered the host ${action} and confirmed it` };
  if (/RAKP 2 HMAC is invalid|password invalid|Invalid password/i.test(output))
    return { ok: false, field: 'password', detail: 'the BMC refused the password: check the password' };
  if (/unauthorized name|invalid user ?name/i.test(output))
    return { ok: false, field: 'username', detail: 'the BMC does not know this user: check the username' };
  if (
    /Connection timed out|Unable to establish|No route to host|Name or service not known|unknown host/i.test(
      output,
    )
  )
    return {
      ok: false,
      field: 'address',
      detail: 'no IPMI answer from the BMC: check its address and port, and that IPMI over LAN is enabled',
    };
  const last = output.split('\n').map(cleanLine).filter(Boolean).pop();
  return {
    ok: false,
    detail: `fence_ipmilan ${action} failed (exit ${code ?? 'killed'}): ${last ?? 'no output'}`,
  };
}

/** Drops fencing.py's timestamps and Python's warnings from a line. */
function cleanLine(line: string): string {
  if (/DeprecationWarning|from pipes import/.test(line)) return '';
  return line.replace(/^\d{4}-\d\d-\d\d [\d:,]+ (?:ERROR|INFO|DEBUG|WARNING): /, '').trim();
}

/**
 * Runs `fence_ipmilan` once (argument array, options on stdin, the password in the environment of
 * it and its ipmitool only), killed when `signal` aborts. The password is scrubbed from whatever
 * comes back, in case an agent ever echoes it.
 */
export async function runFenceIpmilan(
  target: IpmiTarget,
  action: FenceAction,
  signal: AbortSignal,
  binary = FENCE_IPMILAN,
): Promise<FenceRun> {
  const input = fenceAgentInput(target, action, await ipmitoolEnvWrapper());
  return new Promise((resolve) => {
    const child = spawn(binary, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: AbortSignal.any([signal, AbortSignal.timeout(FENCE_CALL_TIMEOUT_MS)]),
      env: { PATH: process.env.PATH ?? '', IPMI_PASSWORD: target.password },
    });
    let output = '';
    const collect = (b: Buffer) => {
      if (output.length < 64_000) output += b.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.stdin.on('error', () => undefined);
    child.on('error', (err: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        ...(err.name === 'AbortError' ? { field: 'address' as const } : {}),
        ...(err.code === 'ENOENT' ? { missing: true } : {}),
        detail:
          err.code === 'ENOENT'
            ? `${binary} is not installed on this machine (Debian package fence-agents)`
            : err.name === 'AbortError'
              ? `fence_ipmilan ${action} did not finish in time (killed after ${FENCE_CALL_TIMEOUT_MS / 1000} s at most): the BMC does not answer`
              : `fence_ipmilan ${action} could not run: ${err.message}`,
      }),
    );
    child.on('close', (code) => {
      const scrubbed = target.password ? output.split(target.password).join('[secret]') : output;
      resolve(interpretFenceOutput(action, code, scrubbed));
    });
    child.stdin.end(input);
  });
}
