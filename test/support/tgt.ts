import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface TgtTargetOptions {
  /** Where tgtd listens: the lab bridge address (reachable from every lab host). */
  address: string;
  port?: number;
  /** tgtd's management port: one per test file, so two targets on one machine never collide. */
  controlPort: number;
  iqn: string;
  /** Sizes of the LUNs (1, 2, …) in bytes: sparse files under `dir`. */
  lunBytes: number[];
  dir: string;
}

/**
 * A real iSCSI target for tests: Debian's tgtd (user space, so it needs no kernel target module) in
 * the root namespace, its LUNs backed by sparse files the test can read. Every call is an argument
 * array; the target is rebuilt from the same options after a restart (tgtd keeps its config in memory).
 */
export class TgtTarget {
  private proc: ChildProcess | null = null;
  private chap: { user: string; secret: string } | null = null;
  private initiators: string[] = ['ALL'];

  constructor(readonly o: TgtTargetOptions) {}

  get portal(): string {
    return `${this.o.address}:${this.o.port ?? 3260}`;
  }

  lunFile(lun: number): string {
    return join(this.o.dir, `lun${lun}.img`);
  }

  async start(): Promise<void> {
    mkdirSync(this.o.dir, { recursive: true });
    this.o.lunBytes.forEach((bytes, i) => {
      const f = this.lunFile(i + 1);
      writeFileSync(f, '', { flag: 'a' });
      truncateSync(f, bytes);
    });
    this.proc = spawn('tgtd', ['-f', '-C', String(this.o.controlPort), '--iscsi', `portal=${this.portal}`], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await this.adm(['--op', 'show', '--mode', 'target']);
        break;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`tgtd did not start: ${(e as Error).message}`, { cause: e });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await this.adm(['--op', 'new', '--mode', 'target', '--tid', '1', '-T', this.o.iqn]);
    for (let lun = 1; lun <= this.o.lunBytes.length; lun++)
      await this.adm([
        '--op',
        'new',
        '--mode',
        'logicalunit',
        '--tid',
        '1',
        '--lun',
        String(lun),
        '-b',
        this.lunFile(lun),
      ]);
    for (const i of this.initiators) await this.allow(i);
    if (this.chap) await this.requireChap(this.chap.user, this.chap.secret);
  }

  /** Only logins with this CHAP user and secret are accepted from now on. */
  async requireChap(user: string, secret: string): Promise<void> {
    this.chap = { user, secret };
    await this.adm(['--op', 'new', '--mode', 'account', '--user', user, '--password', secret]);
    await this.adm(['--op', 'bind', '--mode', 'account', '--tid', '1', '--user', user]);
  }

  /** Accepts only these initiator names (instead of any). */
  async allowOnly(initiators: string[]): Promise<void> {
    for (const i of this.initiators) await this.disallow(i);
    this.initiators = [];
    for (const i of initiators) await this.allow(i);
  }

  async allow(initiator: string): Promise<void> {
    await this.adm(['--op', 'bind', '--mode', 'target', '--tid', '1', ...this.initiatorArgs(initiator)]);
    if (!this.initiators.includes(initiator)) this.initiators.push(initiator);
  }

  async disallow(initiator: string): Promise<void> {
    await this.adm(['--op', 'unbind', '--mode', 'target', '--tid', '1', ...this.initiatorArgs(initiator)]);
    this.initiators = this.initiators.filter((i) => i !== initiator);
  }

  /** Ends tgtd at once (as a crashed or unplugged target would), keeping the LUN files. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** stop() and remove the LUN files and tgtd's management socket (a killed tgtd leaves it). */
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.o.dir, { recursive: true, force: true });
    for (const f of ['', '.lock']) rmSync(`/var/run/tgtd/socket.${this.o.controlPort}${f}`, { force: true });
  }

  private initiatorArgs(initiator: string): string[] {
    return initiator === 'ALL' ? ['--initiator-address', 'ALL'] : ['--initiator-name', initiator];
  }

  private async adm(args: string[]): Promise<string> {
    const { stdout } = await exec('tgtadm', ['-C', String(this.o.controlPort), '--lld', 'iscsi', ...args]);
    return stdout;
  }
}
