import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { VirshError, virshErrorFromStderr } from './virsh-error';
import { virshEnv, type VirshResult, type VirshRunner } from './virsh-runner';

/** What code that only runs commands needs of a runner or a session. */
export interface VirshCaller {
  run(args: readonly string[], opts?: { timeoutMs?: number }): Promise<VirshResult>;
  close?(): void;
}

/** Only plain words go down the session's stdin: no quoting, nothing virsh's parser could split. */
const PLAIN_WORD = /^[A-Za-z0-9_.:/=+-]+$/;

interface Pending {
  args: readonly string[];
  marker: string;
  resolve: (r: VirshResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived `virsh -q -c URI` reading commands on stdin, for calls repeated many times a second
 * (migration progress): each call is a libvirt RPC instead of a new process and connection (~60 ms of
 * CPU each, which a 2-core host running a migration feels). Spawned with an argument array like every
 * virsh; commands are plain words only (UUIDs, option names, numbers) and each is followed by
 * `echo <marker>` so its output can be cut out of the stream. Errors come on stderr as with a single
 * call. The process starts on first use and again after it died.
 */
export class VirshSession implements VirshCaller {
  private child: ChildProcessWithoutNullStreams | null = null;
  private stdout = '';
  private stderr = '';
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly runner: Pick<VirshRunner, 'binary' | 'argv'>,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Whether these arguments can go through a session (plain words only). */
  static accepts(args: readonly string[]): boolean {
    return args.every((a) => PLAIN_WORD.test(a));
  }

  /** Runs one command; calls are answered in order, one at a time. */
  run(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<VirshResult> {
    const bad = args.find((a) => !PLAIN_WORD.test(a));
    if (bad !== undefined)
      return Promise.reject(
        new VirshError('libvirt_error', `virsh session refuses the argument ${JSON.stringify(bad)}`),
      );
    const next = this.queue.then(() => this.send(args, opts.timeoutMs ?? this.timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.closed = true;
    this.stop(new VirshError('libvirt_error', 'virsh session closed'));
  }

  private send(args: readonly string[], timeoutMs: number): Promise<VirshResult> {
    if (this.closed) return Promise.reject(new VirshError('libvirt_error', 'virsh session closed'));
    const child = this.child ?? this.start();
    const marker = `__kelpie_${process.pid}_${++this.seq}__`;
    return new Promise<VirshResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stop(
          new VirshError('timeout', `virsh ${args[0] ?? ''} timed out after ${timeoutMs} ms`, {
            args: [...args],
          }),
        );
      }, timeoutMs);
      this.pending = { args, marker, resolve, reject, timer };
      child.stdin.write(`${args.join(' ')}\necho ${marker}\n`);
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn(this.runner.binary, ['-q', ...this.runner.argv([])], {
      env: virshEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.stdout = '';
    this.stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      this.stdout += s;
      this.settle();
    });
    child.stderr.on('data', (s: string) => (this.stderr += s));
    child.stdin.on('error', () => undefined); // EPIPE when virsh died: 'close' reports it
    child.on('error', (e) =>
      this.onGone(child, new VirshError('libvirt_error', `cannot run virsh: ${e.message}`)),
    );
    child.on('close', () =>
      this.onGone(child, virshErrorFromStderr(this.stderr, { args: [...(this.pending?.args ?? [])] })),
    );
    return child;
  }

  /** The pending command is complete once its marker is echoed. */
  private settle(): void {
    const p = this.pending;
    if (!p) return;
    const echo = `virsh # echo ${p.marker}`;
    const at = this.stdout.indexOf(`${echo}\n${p.marker}`);
    if (at < 0) return;
    const raw = this.stdout.slice(0, at);
    this.stdout = this.stdout.slice(at + echo.length + 1 + p.marker.length);
    this.pending = null;
    clearTimeout(p.timer);
    // The command's own prompt line comes first; what follows it is the output.
    const cmdLine = `virsh # ${p.args.join(' ')}\n`;
    const start = raw.indexOf(cmdLine);
    const stdout = start < 0 ? raw : raw.slice(start + cmdLine.length);
    // virsh wrote any error before running the echo: give the stderr pipe one turn to deliver it.
    setImmediate(() =>
      setImmediate(() => {
        // Interactive virsh reports its automatic reconnection (libvirtd restarted) as an "error" and
        // then runs the command: that line alone is not a failure.
        const stderr = this.stderr.replace(/^error: Reconnected to the hypervisor\n?/gm, '');
        this.stderr = '';
        if (/^error:/m.test(stderr))
          p.reject(virshErrorFromStderr(stderr, { args: [...p.args], exitCode: 1 }));
        else p.resolve({ stdout, stderr });
      }),
    );
  }

  private onGone(child: ChildProcessWithoutNullStreams, error: VirshError): void {
    if (this.child !== child) return;
    this.child = null;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }

  private stop(error: VirshError): void {
    const child = this.child;
    const p = this.pending;
    this.child = null;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    child?.kill('SIGKILL');
  }
}
