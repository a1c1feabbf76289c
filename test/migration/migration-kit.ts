import { testGuest, testGuestDomainXml, virsh, virshOrThrow, type TestGuest } from '@kelpie/lab';
import type { Host, Task, Vm } from '@kelpie/shared-types';
import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestPlatform, type PlatformOptions, type TestPlatform } from '../support/platform';

export interface GuestOptions {
  memoryMiB?: number;
  dirtyMiB?: number;
  cache?: string;
  /** Disk path as seen inside the hosts (default: a new raw image in the shared dir). */
  diskPath?: string;
  /** Where a raw disk is created from the root namespace (default = diskPath); null: it exists. */
  diskRootPath?: string | null;
  diskFormat?: 'raw' | 'qcow2';
}

export interface StartedGuest {
  id: string;
  name: string;
  log: string;
}

/** Shared by the migration test files: a lab platform, the dirtying test guest started with raw virsh
 * (the engine records it as an external VM), and what the assertions read (serial heartbeat, where
 * libvirt runs a domain, tasks). */
export class MigrationKit {
  private readonly created: { host: string; name: string }[] = [];

  private constructor(
    readonly p: TestPlatform,
    private readonly xmlDir: string,
    private readonly guest: TestGuest,
  ) {}

  static async start(options: PlatformOptions): Promise<MigrationKit> {
    const xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-migration-'));
    const guest = await testGuest();
    const p = await startTestPlatform(options);
    const kit = new MigrationKit(p, xmlDir, guest);
    for (const h of p.labStatus.hosts.map((x) => x.name))
      await eventually(
        `${h} up with load`,
        async () => {
          const x = await kit.host(h);
          return x.status === HostStatus.Up && x.load && x.capabilities;
        },
        30_000,
      );
    return kit;
  }

  /** A kit over a platform made otherwise (e.g. hosts enrolled over SSH): `p.hosts` names them. */
  static async over(p: TestPlatform): Promise<MigrationKit> {
    return new MigrationKit(p, await mkdtemp(join(tmpdir(), 'kelpie-migration-')), await testGuest());
  }

  async close(): Promise<void> {
    for (const g of this.created)
      for (const h of this.p.labStatus.hosts) {
        await virsh(h.uri, ['destroy', g.name]);
        await virsh(h.uri, ['undefine', g.name]);
      }
    await this.p.close();
    await rm(this.xmlDir, { recursive: true, force: true });
  }

  uriOf = (h: string): string => this.p.labStatus.hosts.find((x) => x.name === h)!.uri;
  hostId = (h: string): string => this.p.hosts[h]!.id;
  api = (method: string, path: string, body?: unknown) => this.p.engine.api(method, path, body);
  vm = async (id: string): Promise<Vm> => (await this.api('GET', `/api/v1/vms/${id}`)).body as Vm;
  host = async (h: string): Promise<Host> =>
    (await this.api('GET', `/api/v1/hosts/${this.hostId(h)}`)).body as Host;

  /** The host's own directory seen from the root namespace, e.g. its /var/lib/libvirt/images. */
  hostDir = (h: string, ...parts: string[]): string =>
    join(this.p.labStatus.stateDir, 'hosts', h, 'var-lib-libvirt', ...parts);

  async waitTask(id: string, ms = 60_000): Promise<Task> {
    const deadline = Date.now() + ms;
    let t = (await this.api('GET', `/api/v1/tasks/${id}`)).body as Task;
    while (!['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status) && Date.now() < deadline)
      t = (await this.api('GET', `/api/v1/tasks/${id}?wait=${Math.min(30_000, deadline - Date.now())}`))
        .body as Task;
    return t;
  }

  async migrate(id: string, body: Record<string, unknown>): Promise<Task> {
    const res = await this.api('POST', `/api/v1/vms/${id}/migrate`, body);
    if (res.status !== 202) throw new Error(`migrate → ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.headers.get('location')).toBe(`/api/v1/tasks/${(res.body as Task).id}`);
    return res.body as Task;
  }

  /** Defines and starts the test guest on `h`; resolves once the engine shows it up there. */
  async startGuest(h: string, name: string, o: GuestOptions = {}): Promise<StartedGuest> {
    const shared = this.p.labStatus.sharedDir;
    const id = randomUUID();
    // Unique per call, so a retried or repeated test never collides with an earlier domain.
    name = `${name}-${id.slice(0, 4)}`;
    const log = join(shared, `${name}.log`);
    const diskPath = o.diskPath ?? join(shared, `${name}.img`);
    const rootPath = o.diskRootPath === undefined ? diskPath : o.diskRootPath;
    if (rootPath !== null) {
      await writeFile(rootPath, '');
      await truncate(rootPath, 8 * 1024 * 1024);
    }
    let xml = testGuestDomainXml({
      name,
      uuid: id,
      memoryMiB: o.memoryMiB ?? 128,
      vcpus: 1,
      virtType: 'qemu',
      kernel: this.guest.kernel,
      initrd: this.guest.initrd,
      cmdlineExtra: o.dirtyMiB ? `kelpie.dirty_mib=${o.dirtyMiB}` : undefined,
      serialLogPath: log,
      diskPath,
      diskFormat: o.diskFormat,
    });
    if (o.cache) xml = xml.replace('cache="none"', `cache="${o.cache}"`);
    const file = join(this.xmlDir, `${name}.xml`);
    await writeFile(file, xml);
    await virshOrThrow(this.uriOf(h), ['define', file]);
    await virshOrThrow(this.uriOf(h), ['start', name]);
    this.created.push({ host: h, name });
    await eventually(
      `${name} in the engine, up on ${h}`,
      async () => {
        const v = await this.vm(id);
        return v?.status === VmStatus.Up && v.hostId === this.hostId(h);
      },
      15_000,
    );
    return { id, name, log };
  }

  /** Last heartbeat counter on the guest's serial log (-1: none yet). */
  async heartbeat(log: string): Promise<number> {
    const text = await readFile(log, 'utf8').catch(() => '');
    const all = [...text.matchAll(/KELPIE-HEARTBEAT (\d+)/g)];
    return all.length ? Number(all[all.length - 1]![1]) : -1;
  }

  /** Waits until the guest's dirty loop runs (its heartbeat has ticked). A TCG boot takes seconds
   * alone but over a minute while other suites load both cores, hence the long default. */
  async guestBooted(log: string, what: string, timeoutMs = 120_000): Promise<void> {
    await this.heartbeatAfter(log, 1, what, timeoutMs);
  }

  /** Waits for the heartbeat to pass `after`; on failure shows the end of the serial log. */
  async heartbeatAfter(log: string, after: number, what: string, timeoutMs = 30_000): Promise<void> {
    try {
      await eventually(what, async () => (await this.heartbeat(log)) > after, timeoutMs);
    } catch (e) {
      const tail = (await readFile(log, 'utf8').catch(() => '')).slice(-1500);
      throw new Error(`${(e as Error).message}; serial log ends with:\n${tail}`, { cause: e });
    }
  }

  /** Where libvirt runs (or knows) the domain: host names whose libvirt has it, with its state. */
  async whereIs(id: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const h of this.p.labStatus.hosts) {
      const r = await virsh(h.uri, ['domstate', id]);
      if (r.code === 0) out[h.name] = r.stdout.trim();
    }
    return out;
  }
}
