import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { sleep } from './stats';

export interface VirshEventLine {
  mono: number;
  at: number;
  /** virsh's --timestamp: when the event reached that virsh client (libvirt events carry no time of their own). */
  stamp: number;
  type: string;
}

export interface VirshEventReader {
  lines: VirshEventLine[];
  /** The next unread lifecycle event of `type` (Started, Stopped, Suspended…); earlier ones are skipped. */
  next(type: string, timeoutMs: number): Promise<VirshEventLine>;
  close(): void;
}

/** A raw `virsh event --loop --timestamp` reader of one domain's lifecycle events, stamping arrivals. */
export async function openVirshEvents(uri: string, domain: string): Promise<VirshEventReader> {
  const child = spawn(
    'virsh',
    ['-c', uri, 'event', '--domain', domain, '--event', 'lifecycle', '--loop', '--timestamp'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await sleep(300);
  if (child.exitCode !== null) throw new Error(`virsh event exited: ${stderr}`);
  const lines: VirshEventLine[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const at = Date.now();
    const mono = performance.now();
    const m =
      /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)([+-]\d\d)(\d\d): event 'lifecycle' for domain '.*': (\w+)/.exec(
        line,
      );
    if (!m) return;
    lines.push({ at, mono, stamp: Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`), type: m[5] });
    waiters.forEach((w) => w());
  });
  let consumed = 0;
  return {
    lines,
    next: (type, timeoutMs) =>
      new Promise<VirshEventLine>((resolve, reject) => {
        const check = () => {
          for (; consumed < lines.length; consumed++) {
            if (lines[consumed].type === type) {
              const l = lines[consumed++];
              waiters.delete(check);
              clearTimeout(timer);
              resolve(l);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no virsh '${type}' event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => child.kill('SIGTERM'),
  };
}
