import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAndWait, readPidFile } from './processes';
import { runOrThrow, sleep, waitFor } from './process-runner';

export interface CephOptions {
  /** Where the mon, mgr and OSD listen: the lab bridge address (reachable from every lab host). */
  address: string;
  /** The lab's subnet as CIDR (Ceph's `public network`). */
  network: string;
  /** Everything of the cluster: config, keyrings, mon store, OSD data, pid files, logs. */
  dir: string;
  /** The RBD pool made for Kelpie (default `kelpie`). */
  pool?: string;
  /** The cephx user Kelpie's hosts use, without `client.` (default `kelpie`). */
  user?: string;
}

export interface CephStatus {
  /** `host:port` of the monitor (msgr v1, which libvirt and QEMU both speak). */
  monitor: string;
  pool: string;
  user: string;
  /** The user's cephx key (base64, as in a keyring). */
  key: string;
  /** The keyring file holding it. */
  keyring: string;
  conf: string;
}

const MON_ID = 'a';
const MGR_ID = 'a';
const OSD_ID = 0;
/** Bluestore on a sparse file: uses a few MB of the 4 GiB until images are written. */
const OSD_BYTES = '4G';

/**
 * A single-node Ceph cluster for the lab (one mon, one mgr, one bluestore OSD on a sparse file,
 * cephx on, pools of size 1) from Debian's packages, in the root namespace on the lab bridge
 * address. Bring-up order and the config keys that matter are measured in docs/lab.md. Every call is
 * an argument array; daemons run as root with their own pid files, so `stop` ends only them.
 */
export class CephCluster {
  constructor(readonly o: CephOptions) {}

  private get conf(): string {
    return join(this.o.dir, 'ceph.conf');
  }
  private get pool(): string {
    return this.o.pool ?? 'kelpie';
  }
  private get user(): string {
    return this.o.user ?? 'kelpie';
  }
  private path(...parts: string[]): string {
    return join(this.o.dir, ...parts);
  }
  private get adminArgs(): string[] {
    return ['--conf', this.conf, '--keyring', this.path('admin.keyring')];
  }

  /** Brings the cluster up (created on first use, restarted from its files after) and returns what
   * a Kelpie rbd storage domain needs. */
  async up(): Promise<CephStatus> {
    const fresh = !existsSync(this.path('mon', 'store.db'));
    if (fresh) await this.create();
    await this.startDaemons();
    await this.waitHealthy();
    if (fresh) await this.makePoolAndUser();
    return this.status();
  }

  status(): CephStatus {
    const keyring = this.path(`client.${this.user}.keyring`);
    const key = /key = (\S+)/.exec(readFileSync(keyring, 'utf8'))?.[1];
    if (!key) throw new Error(`no key in ${keyring}`);
    return {
      monitor: `${this.o.address}:6789`,
      pool: this.pool,
      user: this.user,
      key,
      keyring,
      conf: this.conf,
    };
  }

  /** `rbd ARGS` as the admin, output trimmed. */
  async rbd(args: string[]): Promise<string> {
    return (await runOrThrow('rbd', [...this.adminArgs, ...args], { timeoutMs: 60_000 })).trim();
  }

  /** `ceph ARGS` as the admin. */
  async ceph(args: string[]): Promise<string> {
    return (await runOrThrow('ceph', [...this.adminArgs, ...args], { timeoutMs: 60_000 })).trim();
  }

  /** Stops the daemons (their data stays). */
  async stop(): Promise<void> {
    for (const name of ['osd', 'mgr', 'mon']) {
      const pid = await readPidFile(this.path('run', `${name}.pid`));
      if (pid) await killAndWait([pid], 10_000);
    }
  }

  /** Stops the daemons and removes every file of the cluster. */
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.o.dir, { recursive: true, force: true });
  }

  private writeConf(fsid: string): void {
    const a = this.o.address;
    const d = this.o.dir;
    writeFileSync(
      this.conf,
      [
        '[global]',
        `fsid = ${fsid}`,
        `mon initial members = ${MON_ID}`,
        `mon host = [v2:${a}:3300,v1:${a}:6789]`,
        `public network = ${this.o.network}`,
        'auth cluster required = cephx',
        'auth service required = cephx',
        'auth client required = cephx',
        'osd pool default size = 1',
        'osd pool default min size = 1',
        'osd crush chooseleaf type = 0',
        'mon allow pool size one = true',
        'mon warn on pool no redundancy = false',
        // Clients here are all current: the reclaim warning would keep the cluster in HEALTH_WARN.
        'mon warn on insecure global id reclaim allowed = false',
        // This machine's disk is ~30 % free; the default (30) would warn for ever.
        'mon data avail warn = 5',
        'osd objectstore = bluestore',
        'bluestore block create = true',
        `bluestore block size = ${OSD_BYTES}`,
        'osd memory target = 896M',
        `run dir = ${d}/run`,
        `log file = ${d}/log/$name.log`,
        `admin socket = ${d}/run/$name.asok`,
        '[mon]',
        `mon data = ${d}/mon`,
        // With a keyring in [global] the mon would need its own, or cephx ends up disabled.
        `keyring = ${d}/mon.keyring`,
        '[mgr]',
        `mgr data = ${d}/mgr`,
        `keyring = ${d}/mgr/keyring`,
        '[osd]',
        `osd data = ${d}/osd`,
        `keyring = ${d}/osd/keyring`,
        '',
      ].join('\n'),
    );
  }

  private async create(): Promise<void> {
    rmSync(this.o.dir, { recursive: true, force: true });
    for (const sub of ['mon', 'mgr', 'osd', 'run', 'log']) mkdirSync(this.path(sub), { recursive: true });
    const fsid = randomUUID();
    this.writeConf(fsid);
    const auth = (args: string[]) => runOrThrow('ceph-authtool', args);
    await auth([
      '--create-keyring',
      this.path('mon.keyring'),
      '--gen-key',
      '-n',
      'mon.',
      '--cap',
      'mon',
      'allow *',
    ]);
    await auth([
      '--create-keyring',
      this.path('admin.keyring'),
      '--gen-key',
      '-n',
      'client.admin',
      '--cap',
      'mon',
      'allow *',
      '--cap',
      'osd',
      'allow *',
      '--cap',
      'mgr',
      'allow *',
    ]);
    await auth([this.path('mon.keyring'), '--import-keyring', this.path('admin.keyring')]);
    await runOrThrow('monmaptool', [
      '--create',
      '--addv',
      MON_ID,
      `[v2:${this.o.address}:3300,v1:${this.o.address}:6789]`,
      '--fsid',
      fsid,
      this.path('monmap'),
    ]);
    await runOrThrow('ceph-mon', [
      '--conf',
      this.conf,
      '--mkfs',
      '-i',
      MON_ID,
      '--monmap',
      this.path('monmap'),
      '--keyring',
      this.path('mon.keyring'),
    ]);
    await this.startMon();
    await this.ceph([
      'auth',
      'get-or-create',
      `mgr.${MGR_ID}`,
      'mon',
      'allow profile mgr',
      'osd',
      'allow *',
      'mds',
      'allow *',
      '-o',
      this.path('mgr', 'keyring'),
    ]);
    const osdUuid = randomUUID();
    const id = await this.ceph(['osd', 'new', osdUuid]);
    if (id !== String(OSD_ID)) throw new Error(`ceph osd new gave id ${id}, expected ${OSD_ID}`);
    await this.ceph([
      'auth',
      'get-or-create',
      `osd.${OSD_ID}`,
      'mon',
      'allow profile osd',
      'mgr',
      'allow profile osd',
      'osd',
      'allow *',
      '-o',
      this.path('osd', 'keyring'),
    ]);
    await runOrThrow(
      'ceph-osd',
      ['--conf', this.conf, '-i', String(OSD_ID), '--mkfs', '--osd-uuid', osdUuid],
      { timeoutMs: 120_000 },
    );
  }

  private daemon(binary: string, id: string, name: string): Promise<void> {
    const pidFile = this.path('run', `${name}.pid`);
    // -f keeps it in the foreground of a detached child: the pid file is its own.
    const child = spawn(binary, ['--conf', this.conf, '-i', id, '-f', '--pid-file', pidFile], {
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    return waitFor(`${name} pid file`, async () => await readPidFile(pidFile), 20_000).then(() => undefined);
  }

  private async startMon(): Promise<void> {
    if (!(await this.alive('mon'))) await this.daemon('ceph-mon', MON_ID, 'mon');
  }

  private async startDaemons(): Promise<void> {
    await this.startMon();
    if (!(await this.alive('mgr'))) await this.daemon('ceph-mgr', MGR_ID, 'mgr');
    if (!(await this.alive('osd'))) {
      // A killed OSD holds its pid file lock a few seconds longer.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.daemon('ceph-osd', String(OSD_ID), 'osd');
          break;
        } catch (e) {
          if (attempt >= 3) throw e;
          await sleep(2000);
        }
      }
    }
  }

  private async alive(name: string): Promise<boolean> {
    const pid = await readPidFile(this.path('run', `${name}.pid`));
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  private async waitHealthy(): Promise<void> {
    await waitFor(
      'Ceph OSD up and in',
      async () => {
        const stat = await this.ceph(['osd', 'stat', '--format', 'json']).catch(() => '{}');
        const s = JSON.parse(stat) as { num_up_osds?: number; num_in_osds?: number };
        return s.num_up_osds === 1 && s.num_in_osds === 1;
      },
      90_000,
    );
  }

  private async makePoolAndUser(): Promise<void> {
    await this.ceph(['osd', 'pool', 'create', this.pool, '8']);
    await this.ceph(['osd', 'pool', 'set', this.pool, 'size', '1', '--yes-i-really-mean-it']);
    await this.rbd(['pool', 'init', this.pool]);
    await this.ceph([
      'auth',
      'get-or-create',
      `client.${this.user}`,
      'mon',
      'profile rbd',
      'osd',
      `profile rbd pool=${this.pool}`,
      '-o',
      this.path(`client.${this.user}.keyring`),
    ]);
  }
}
