import { AgentError } from '../errors/agent-error';
import { asArray, attr, node, parseXml } from '../libvirt/mapping/xml';
import { VirshError, type VirshRunner } from '../libvirt/process';

export interface LiveMoveRequest {
  uuid: string;
  targetDev: string;
  format: 'raw' | 'qcow2';
  capacityBytes: number;
  toPool: string;
  toVolume: string;
  bandwidthMiBps?: number;
}

export type MoveProgress = (percent: number, message: string) => void;

/** How often the block job's progress is read while `blockcopy --wait` runs. */
const POLL_MS = 1_000;

/** `blockjob --raw` of a copy job: ` type=Copy bandwidth=0 cur=1048576 end=67108864`. */
export function parseBlockJob(raw: string): { cur: number; end: number } | null {
  const cur = /\bcur=(\d+)/.exec(raw)?.[1];
  const end = /\bend=(\d+)/.exec(raw)?.[1];
  return cur !== undefined && end !== undefined ? { cur: Number(cur), end: Number(end) } : null;
}

/** Copy progress mapped onto 10–90 % (creating the volume before, pivoting after). */
export function copyPercent(job: { cur: number; end: number }): number {
  if (job.end <= 0) return 10;
  return 10 + Math.round((Math.min(job.cur, job.end) / job.end) * 80);
}

/** The source of the domain's disk at `targetDev` from `domblklist --details` (`-` when empty). */
export function diskSource(domblklist: string, targetDev: string): string | null {
  for (const line of domblklist.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 4 && cols[2] === targetDev) return cols.slice(3).join(' ');
  }
  return null;
}

/** The copy job's destination on the disk at `targetDev` of a running domain's XML (`<mirror>`), and
 * whether it is in sync (ready to pivot); null when no copy runs on that disk. */
export function mirrorOf(domainXml: string, targetDev: string): { dest: string; ready: boolean } | null {
  const devices = node(node(parseXml(domainXml).domain)?.devices);
  const disk = asArray(devices?.disk).find((d) => attr(d.target, 'dev') === targetDev);
  const mirror = node(disk?.mirror);
  if (!mirror) return null;
  const dest = attr(mirror, 'file') ?? attr(mirror.source, 'file') ?? attr(mirror.source, 'dev');
  return dest ? { dest, ready: attr(mirror, 'ready') === 'yes' } : null;
}

const isMissingVolume = (e: unknown) =>
  e instanceof VirshError && /Storage volume not found|no storage vol with matching/i.test(e.message);

/**
 * A running domain's disk moved to a volume of another pool, live: `blockcopy` mirrors the disk's
 * whole chain into a volume created beforehand (so the target is a volume of its pool, with its
 * format, not whatever libvirt would create), `--pivot` switches the domain to it once the mirror is
 * in sync. `--transient-job` because Kelpie's domains are persistent and a copy does not outlive the
 * QEMU process. Anything short of the pivot leaves the domain on its source, and the new volume is
 * deleted.
 */
export class LiveDiskMove {
  constructor(private readonly virsh: VirshRunner) {}

  async run(p: LiveMoveRequest, progress: MoveProgress, signal: AbortSignal): Promise<string> {
    const before = await this.sourceOf(p.uuid, p.targetDev);
    const existing = await this.volumePath(p.toPool, p.toVolume);
    // A repeated command after the pivot happened: done.
    if (existing && before === existing) return existing;
    // A copy into it still runs (the agent that started it died, QEMU did not): taken over.
    if (existing && (await this.mirror(p.uuid, p.targetDev))?.dest === existing) {
      const rejoined = await this.rejoin(p, existing, progress, signal);
      if (rejoined) return rejoined;
    }
    if (existing) await this.deleteVolume(p.toPool, p.toVolume);
    progress(5, `creating ${p.toVolume} in ${p.toPool}`);
    await this.virsh.run([
      'vol-create-as',
      '--pool',
      p.toPool,
      '--name',
      p.toVolume,
      '--capacity',
      `${p.capacityBytes}`,
      '--format',
      p.format,
    ]);
    const dest = (await this.volumePath(p.toPool, p.toVolume))!;
    try {
      await this.copyAndPivot(p, dest, progress, signal);
    } catch (e) {
      await this.abortJob(p.uuid, p.targetDev);
      // Pivoted after all (the error came after QEMU switched): keep the new volume.
      if ((await this.sourceOf(p.uuid, p.targetDev).catch(() => null)) === dest) return dest;
      await this.deleteVolume(p.toPool, p.toVolume).catch(() => undefined);
      if (signal.aborted)
        throw new AgentError(
          'operation_invalid',
          `disk move cancelled: ${String(signal.reason ?? 'aborted')}`,
          {
            cancelled: true,
          },
        );
      throw e;
    }
    const after = await this.sourceOf(p.uuid, p.targetDev);
    if (after !== dest)
      throw new AgentError(
        'libvirt_error',
        `blockcopy ended but ${p.targetDev} reads from ${after ?? 'nothing'}`,
      );
    progress(95, `${p.targetDev} now on ${dest}`);
    return dest;
  }

  /**
   * Follows a copy into `dest` that an earlier run started (redelivered command after an agent
   * restart): its `virsh blockcopy --pivot` may still be waiting, or may have died with that agent,
   * so once the mirror is ready this run pivots too (whichever pivot comes first wins). null when
   * the copy ended without pivoting: the caller copies anew.
   */
  private async rejoin(
    p: LiveMoveRequest,
    dest: string,
    progress: MoveProgress,
    signal: AbortSignal,
  ): Promise<string | null> {
    progress(10, `rejoining the copy of ${p.targetDev} into ${dest}`);
    for (;;) {
      if (signal.aborted) {
        await this.abortJob(p.uuid, p.targetDev);
        if ((await this.sourceOf(p.uuid, p.targetDev)) === dest) return dest;
        await this.deleteVolume(p.toPool, p.toVolume).catch(() => undefined);
        throw new AgentError(
          'operation_invalid',
          `disk move cancelled: ${String(signal.reason ?? 'aborted')}`,
          {
            cancelled: true,
          },
        );
      }
      const mirror = await this.mirror(p.uuid, p.targetDev);
      if ((await this.sourceOf(p.uuid, p.targetDev)) === dest) return dest;
      if (mirror?.dest !== dest) return null;
      if (mirror.ready)
        await this.virsh
          .run(['blockjob', '--domain', p.uuid, '--path', p.targetDev, '--pivot'])
          .catch(() => undefined);
      else await this.reportJob(p, progress);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async mirror(uuid: string, targetDev: string) {
    return mirrorOf((await this.virsh.run(['dumpxml', '--domain', uuid])).stdout, targetDev);
  }

  /** The block job's progress, as command progress (nothing when no job runs). */
  private async reportJob(p: LiveMoveRequest, progress: MoveProgress): Promise<void> {
    const out = await this.virsh
      .run(['blockjob', '--domain', p.uuid, '--path', p.targetDev, '--raw'])
      .catch(() => null);
    const job = out ? parseBlockJob(out.stdout) : null;
    if (job) progress(copyPercent(job), `copying ${p.targetDev}: ${job.cur} of ${job.end} bytes`);
  }

  /** Aborts the block job on the disk (a running `blockcopy --wait` then fails); none is fine. */
  async abortJob(uuid: string, targetDev: string): Promise<void> {
    await this.virsh
      .run(['blockjob', '--domain', uuid, '--path', targetDev, '--abort'])
      .catch(() => undefined);
  }

  private async copyAndPivot(
    p: LiveMoveRequest,
    dest: string,
    progress: MoveProgress,
    signal: AbortSignal,
  ): Promise<void> {
    const copy = this.virsh.run(
      [
        'blockcopy',
        '--domain',
        p.uuid,
        '--path',
        p.targetDev,
        '--dest',
        dest,
        '--format',
        p.format,
        '--reuse-external',
        '--transient-job',
        '--pivot',
        ...(p.bandwidthMiBps ? ['--bandwidth', `${p.bandwidthMiBps}`] : []),
      ],
      { timeoutMs: 3_600_000 },
    );
    // Killing `virsh blockcopy --wait` would leave QEMU's job running: the job itself is aborted.
    const onAbort = () => void this.abortJob(p.uuid, p.targetDev);
    signal.addEventListener('abort', onAbort, { once: true });
    let done = false;
    const poll = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!done) await this.reportJob(p, (pct, msg) => !done && progress(pct, msg));
      }
    })();
    try {
      await copy;
    } finally {
      done = true;
      signal.removeEventListener('abort', onAbort);
      await poll;
    }
  }

  private async sourceOf(uuid: string, targetDev: string): Promise<string | null> {
    const { stdout } = await this.virsh.run(['domblklist', '--domain', uuid, '--details']);
    return diskSource(stdout, targetDev);
  }

  private async volumePath(pool: string, volume: string): Promise<string | null> {
    await this.virsh.run(['pool-refresh', '--pool', pool]);
    try {
      return (await this.virsh.run(['vol-path', '--pool', pool, volume])).stdout.trim();
    } catch (e) {
      if (isMissingVolume(e)) return null;
      throw e;
    }
  }

  private async deleteVolume(pool: string, volume: string): Promise<void> {
    try {
      await this.virsh.run(['vol-delete', '--pool', pool, volume]);
    } catch (e) {
      if (!isMissingVolume(e)) throw e;
    }
  }
}
