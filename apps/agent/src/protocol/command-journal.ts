import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentErrorBody } from '@kelpie/shared-types';

/** How a journaled command ended. */
export type JournalOutcome = { ok: true; result: unknown } | { ok: false; error: AgentErrorBody };

export interface JournalEntry {
  jobId: string;
  command: string;
  state: 'started' | 'done';
  startedAt: string;
  finishedAt?: string;
  /** Set once `state` is `done`. */
  outcome?: JournalOutcome;
}

export interface CommandJournalOptions {
  /** Entries older than this are pruned (a BullMQ job is never redelivered after days). */
  maxAgeMs?: number;
  /** At most this many entries are kept (oldest pruned first). */
  maxEntries?: number;
}

const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600_000;
const DEFAULT_MAX_ENTRIES = 2000;
/** A prune pass runs after this many writes (and once at open). */
const PRUNE_EVERY = 100;

/**
 * The host's on-disk record of non-idempotent commands, keyed by BullMQ job id: `started` is written
 * (and fsynced) before the command touches anything, `done` with its outcome after. A job that BullMQ
 * delivers again (a stalled job, a Redis restart, an agent restart) is looked up here first, so it is
 * never run a second time. One small JSON file per job, replaced atomically (write, fsync, rename),
 * so a crash at any instant leaves either the old or the new record, never a torn one.
 */
export class CommandJournal {
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private writes = 0;
  private ready: Promise<void> | null = null;

  constructor(
    /** One directory per host (agents of several hosts may share a state dir). */
    readonly dir: string,
    opts: CommandJournalOptions = {},
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Creates the directory and prunes what is old; safe to call more than once. */
  open(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 })
      .then(() => this.prune())
      .then(() => undefined);
    return this.ready;
  }

  async get(jobId: string): Promise<JournalEntry | null> {
    await this.open();
    try {
      return JSON.parse(await readFile(this.fileOf(jobId), 'utf8')) as JournalEntry;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Recorded durably before the command runs. */
  async started(jobId: string, command: string): Promise<JournalEntry> {
    const entry: JournalEntry = { jobId, command, state: 'started', startedAt: new Date().toISOString() };
    await this.write(entry);
    return entry;
  }

  async done(entry: JournalEntry, outcome: JournalOutcome): Promise<void> {
    await this.write({ ...entry, state: 'done', finishedAt: new Date().toISOString(), outcome });
  }

  /** Removes entries older than maxAgeMs, then the oldest beyond maxEntries. */
  async prune(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch {
      return 0;
    }
    const files = await Promise.all(
      names.map(async (name) => {
        const path = join(this.dir, name);
        const mtime = await stat(path).then(
          (s) => s.mtimeMs,
          () => 0,
        );
        return { path, mtime };
      }),
    );
    files.sort((a, b) => b.mtime - a.mtime);
    const doomed = files.filter((f, i) => i >= this.maxEntries || now - f.mtime > this.maxAgeMs);
    await Promise.all(doomed.map((f) => rm(f.path, { force: true })));
    return doomed.length;
  }

  private async write(entry: JournalEntry): Promise<void> {
    await this.open();
    const path = this.fileOf(entry.jobId);
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(entry));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    // The rename itself must survive a power loss, not only the agent's death.
    const dir = await open(this.dir, 'r');
    await dir.sync().finally(() => dir.close());
    if (++this.writes % PRUNE_EVERY === 0) await this.prune();
  }

  /** Job ids are chosen by the engine: hashed into a file name, never used as a path. */
  private fileOf(jobId: string): string {
    return join(this.dir, `${createHash('sha256').update(jobId).digest('hex').slice(0, 40)}.json`);
  }
}
