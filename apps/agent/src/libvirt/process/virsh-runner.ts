import { spawn } from 'node:child_process';
import { VirshError, virshErrorFromStderr } from './virsh-error';

export interface VirshRunnerOptions {
  /** libvirt connection URI, passed as `-c <uri>` on every call. */
  uri: string;
  /** virsh binary; default `virsh` from PATH. */
  binary?: string;
  /** Default per-call timeout. */
  timeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL on timeout. */
  killGraceMs?: number;
  /** Told of every call's latency (metrics). */
  observe?: VirshObserver;
}

/** `op` is virsh's subcommand (`start`, `domstats`…); outcome `ok` or the error's code. */
export type VirshObserver = (op: string, outcome: string, seconds: number) => void;

/** Runs `call`, telling `observe` how long it took and how it ended. */
export async function observed<T>(
  observe: VirshObserver | undefined,
  args: readonly string[],
  call: () => Promise<T>,
): Promise<T> {
  if (!observe) return call();
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const result = await call();
    observe(args[0] ?? '', 'ok', seconds());
    return result;
  } catch (e) {
    observe(args[0] ?? '', e instanceof VirshError ? e.code : 'error', seconds());
    throw e;
  }
}

export interface VirshResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Aborting kills the process (its whole group), as a timeout does. */
  signal?: AbortSignal;
}

/** Environment every virsh child gets: English messages (the error classifier matches them) and no
 * inherited default URI. Nothing else from the agent's environment is passed on. */
export function virshEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    LC_ALL: 'C',
    LANG: 'C',
    // An interactive session (virsh-session.ts) reads commands with readline, which scrolls a line
    // longer than the terminal width (80 without a terminal) with `\r<`: the echoed command then
    // no longer matches and the prompt ends up in the output (a dumpxml of a long UUID-based command
    // line failed to parse). A width no command line reaches keeps the echo intact.
    COLUMNS: '100000',
    HOME: process.env.HOME ?? '/root',
  };
}

/** Signals a process group (falls back to the single process). */
export function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Runs `virsh -c <uri> <args...>` as an argument array: never through a shell. */
export class VirshRunner {
  readonly uri: string;
  readonly binary: string;
  readonly timeoutMs: number;
  private readonly killGraceMs: number;
  readonly observe?: VirshObserver;

  constructor(opts: VirshRunnerOptions) {
    this.observe = opts.observe;
    this.uri = opts.uri;
    this.binary = opts.binary ?? 'virsh';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.killGraceMs = opts.killGraceMs ?? 2_000;
  }

  /** Full argv (after the binary) for a call. */
  argv(args: readonly string[]): string[] {
    return ['-c', this.uri, ...args];
  }

  run(args: readonly string[], opts: RunOptions = {}): Promise<VirshResult> {
    return observed(this.observe, args, () => this.spawnVirsh(args, opts));
  }

  private spawnVirsh(args: readonly string[], opts: RunOptions): Promise<VirshResult> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const argv = this.argv(args);
    return new Promise((resolve, reject) => {
      // Own process group, so a timeout kills virsh and anything it started.
      const child = spawn(this.binary, argv, {
        env: virshEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      let cancelled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const kill = () => {
        killTree(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => killTree(child.pid, 'SIGKILL'), this.killGraceMs);
        killTimer.unref();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      const onAbort = () => {
        if (timedOut || cancelled) return;
        cancelled = timedOut = true;
        kill();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) onAbort();
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        reject(
          new VirshError('libvirt_error', `cannot run ${this.binary}: ${e.message}`, { args: [...args] }),
        );
      });
      let settled = false;
      const onDone = (exitCode: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        opts.signal?.removeEventListener('abort', onAbort);
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (timedOut) {
          reject(
            new VirshError(
              'timeout',
              cancelled
                ? `virsh ${args[0] ?? ''} cancelled: the command's time is up`
                : `virsh ${args[0] ?? ''} timed out after ${timeoutMs} ms`,
              {
                args: [...args],
                stderr,
                exitCode,
                signal,
              },
            ),
          );
        } else if (exitCode !== 0) {
          reject(virshErrorFromStderr(stderr, { args: [...args], exitCode, signal }));
        } else {
          resolve({ stdout, stderr });
        }
      };
      child.on('close', onDone);
      // A timed-out child may leave its pipes open through a stray grandchild: do not wait for them.
      child.on('exit', (code, signal) => {
        if (timedOut) {
          child.stdout.destroy();
          child.stderr.destroy();
          onDone(code, signal);
        }
      });
    });
  }
}
