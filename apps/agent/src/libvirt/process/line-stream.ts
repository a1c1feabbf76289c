import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { virshErrorFromStderr, type VirshError } from './virsh-error';
import { virshEnv, type VirshRunner } from './virsh-runner';

export interface LineStreamHandlers {
  onLine(line: string): void;
  /** Called once when the process ends for any reason other than stop(); `error` classifies stderr. */
  onEnd(info: {
    exitCode: number | null;
    signal: string | null;
    stderr: string;
    error: VirshError | null;
  }): void;
}

/** A long-running virsh (e.g. `event --all --loop --timestamp`): stdout line by line, end → callback. */
export class VirshLineStream {
  private child: ChildProcess | null = null;
  private stopped = false;

  constructor(
    private readonly runner: VirshRunner,
    private readonly args: readonly string[],
    private readonly handlers: LineStreamHandlers,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child) throw new Error('line stream already started');
    this.stopped = false;
    const child = spawn(this.runner.binary, this.runner.argv(this.args), {
      env: virshEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const err: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const rl = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    rl.on('line', (line) => {
      if (!this.stopped) this.handlers.onLine(line);
    });
    let ended = false;
    const finish = (exitCode: number | null, signal: string | null) => {
      if (ended) return;
      ended = true;
      this.child = null;
      if (this.stopped) return;
      const stderr = Buffer.concat(err).toString('utf8');
      const error =
        exitCode === 0 && !stderr.trim()
          ? null
          : virshErrorFromStderr(stderr, { args: [...this.args], exitCode, signal });
      this.handlers.onEnd({ exitCode, signal, stderr, error });
    };
    child.on('error', () => finish(null, null));
    // 'close' fires after stdio is drained, so every line has been delivered before onEnd.
    child.on('close', (code, signal) => finish(code, signal));
  }

  /** Stops the stream without calling onEnd. */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.child = null;
  }
}
