import { BondSpec, NetworkAttachmentSpec, NetworkSetupOutcome } from '@kelpie/shared-types';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { LinkSnapshot } from './links';

/** A setup applied and not yet confirmed: what a rollback needs, even after the agent died. */
export interface PendingSetup {
  checkpoint: string;
  before: LinkSnapshot;
  touched: string[];
  /** The setup being applied and the one before it (OVS networks are restored from these). */
  wanted?: NetworkAttachmentSpec[];
  previous?: NetworkAttachmentSpec[];
  wantedBonds?: BondSpec[];
  previousBonds?: BondSpec[];
}

/** A confirmed setup: the networks and the bonds they may sit on. */
export interface AppliedSetup {
  attachments: NetworkAttachmentSpec[];
  bonds: BondSpec[];
}

/** `applied.json` was a bare array of networks before bonds; both forms are read. */
const AppliedFile = z.union([
  z.array(NetworkAttachmentSpec).transform((attachments) => ({ attachments, bonds: [] })),
  z.object({ attachments: z.array(NetworkAttachmentSpec), bonds: z.array(BondSpec).default([]) }),
]);

/**
 * The host's network configuration on its own disk, so it outlives the agent and the host:
 * `applied.json` (confirmed networks, re-applied at start), `pending.json` (a setup waiting for the
 * engine's confirmation: at start it is rolled back, as its check can no longer succeed) and
 * `last-setup.json` (the outcome of the latest setup, reported to the engine). Each file is replaced
 * atomically (write, fsync, rename).
 */
export class NetworkStore {
  constructor(private readonly dir: string) {}

  async applied(): Promise<AppliedSetup> {
    const raw = await this.read('applied.json');
    return raw === null ? { attachments: [], bonds: [] } : AppliedFile.parse(raw);
  }

  saveApplied(applied: AppliedSetup): Promise<void> {
    return this.write('applied.json', applied);
  }

  async pending(): Promise<PendingSetup | null> {
    return (await this.read('pending.json')) as PendingSetup | null;
  }

  savePending(p: PendingSetup): Promise<void> {
    return this.write('pending.json', p);
  }

  clearPending(): Promise<void> {
    return rm(join(this.dir, 'pending.json'), { force: true });
  }

  async lastSetup(): Promise<NetworkSetupOutcome | null> {
    const raw = await this.read('last-setup.json');
    return raw === null ? null : NetworkSetupOutcome.parse(raw);
  }

  saveLastSetup(o: NetworkSetupOutcome): Promise<void> {
    return this.write('last-setup.json', o);
  }

  private async read(file: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(join(this.dir, file), 'utf8')) as unknown;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  private async write(file: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, file);
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(value));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  }
}
