import { HOST_LEASE_DIR, type HostLeaseSighting } from '@kelpie/shared-types';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the lease renewer reads: this host's id, then one shared directory a line (written aside and
 * renamed, so the renewer never reads half a list). */
export async function writeLeaseTargets(file: string, hostId: string, dirs: string[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.new`, [hostId, ...dirs].join('\n') + '\n', { mode: 0o600 });
  await rename(`${file}.new`, file);
}

interface Seen {
  content: string;
  /** This host's monotonic clock (ms) when the content was first seen with this value. */
  since: number;
  /** The value replaced another one this host had seen (a renewal was observed). */
  changed: boolean;
}

/**
 * Reads the other hosts' lease records on the shared directories and tells, for each host, how long
 * its record has not changed by this host's own monotonic clock — the writer's clock is never trusted,
 * only the fact that what it wrote changed.
 */
export class HostLeaseObserver {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly selfId: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async observe(dirs: string[]): Promise<HostLeaseSighting[]> {
    const t = this.now();
    const best = new Map<string, HostLeaseSighting>();
    const present = new Set<string>();
    for (const dir of dirs) {
      for (const { hostId, content } of await readRecords(join(dir, HOST_LEASE_DIR))) {
        if (hostId === this.selfId) continue;
        const key = `${dir}\0${hostId}`;
        present.add(key);
        const prev = this.seen.get(key);
        const entry = prev?.content === content ? prev : { content, since: t, changed: prev !== undefined };
        this.seen.set(key, entry);
        const sighting = {
          hostId,
          unchangedForMs: Math.max(0, Math.round(t - entry.since)),
          renewalSeen: entry.changed,
        };
        const other = best.get(hostId);
        if (!other || sighting.unchangedForMs < other.unchangedForMs) best.set(hostId, sighting);
      }
    }
    for (const key of this.seen.keys()) if (!present.has(key)) this.seen.delete(key);
    return [...best.values()];
  }
}

async function readRecords(dir: string): Promise<{ hostId: string; content: string }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const records = [];
  for (const name of names.filter((n) => UUID.test(n))) {
    const content = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (content !== undefined) records.push({ hostId: name, content });
  }
  return records;
}
