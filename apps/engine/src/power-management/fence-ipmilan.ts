import { spawn } from 'node:child_process';

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
}

export const FENCE_IPMILAN = 'fence_ipmilan';

/**
 * The options as fence-agents reads them on standard input (one `key="value"` per line, as pacemaker
 * passes them): nothing secret appears in the engine's argv, logs or environment. Values are quoted
 * (fencing.py strips surrounding spaces and one pair of quotes) and must not hold a line break, which
 * would smuggle another option in. `verbose_level=2` makes ipmitool say why a session failed (wrong
 * password vs. unknown user vs. no answer); fence_ipmilan masks the password in what it prints.
 */
export function fenceAgentInput(t: IpmiTarget, action: FenceAction): string {
  const options: Record<string, string> = {
    action,
    ip: t.address,
    ipport: String(t.port),
    username: t.username,
    password: t.password,
    lanplus: t.lanplus ? '1' : '0',
    verbose_level: '2',
    login_timeout: '10',
    power_timeout: '30',
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
 * Runs `fence_ipmilan` once (argument array, options on stdin), killed when `signal` aborts. The
 * password is scrubbed from whatever comes back, in case an agent ever echoes it.
 */
export function runFenceIpmilan(
  target: IpmiTarget,
  action: FenceAction,
  signal: AbortSignal,
  binary = FENCE_IPMILAN,
): Promise<FenceRun> {
  const input = fenceAgentInput(target, action);
  return new Promise((resolve) => {
    const child = spawn(binary, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      signal,
      env: { PATH: process.env.PATH ?? '' },
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
        detail:
          err.code === 'ENOENT'
            ? `${binary} is not installed on the engine's machine (Debian package fence-agents)`
            : err.name === 'AbortError'
              ? `fence_ipmilan ${action} did not finish in time`
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
