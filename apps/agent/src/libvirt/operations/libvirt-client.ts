import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainSnapshot } from '@kelpie/shared-types';
import { VirshError, type VirshCaller, type VirshRunner } from '../process';
import { parseDomainXml, type DomainXmlInfo } from '../mapping/domain-xml';
import { toDomainSnapshot } from '../mapping/domain-snapshot';
import { parseMissingFeatures } from '../mapping/cpu-modes';
import { cpuModelXml } from '../xml/cpu-model';
import {
  parseDefinedName,
  parseDomstateReason,
  parseDomstatsRaw,
  parseKeyValueLines,
  parseLines,
  parseListUuidName,
  parseNodeinfo,
  parseTable,
  parseVersion,
  type ListedDomain,
  type NodeInfo,
  type RawDomainStats,
  type VirshStateWord,
} from '../mapping/parsers';

/** A domain reference handed to virsh: always through `--domain`, so a name can never be read as an
 * option. UUIDs are preferred (names can be reused). */
export type DomainRef = string;

export type PowerAction = 'start' | 'shutdown' | 'destroy' | 'reboot' | 'reset' | 'suspend' | 'resume';

/** Typed libvirt operations, one virsh call each (unless said otherwise). */
export class LibvirtClient {
  constructor(
    readonly virsh: VirshRunner,
    /** For the frequent short calls (list, dominfo, domstate, dumpxml, a migration's job queries): a
     * VirshSessionPool in the agent. */
    readonly reads: VirshCaller = virsh,
  ) {}

  get uri(): string {
    return this.virsh.uri;
  }

  async listDomains(): Promise<ListedDomain[]> {
    const { stdout } = await this.reads.run(['list', '--all', '--uuid', '--name']);
    return parseListUuidName(stdout);
  }

  async listDomainUuids(opts: { persistentOnly?: boolean } = {}): Promise<string[]> {
    const args = ['list', '--all', '--uuid'];
    if (opts.persistentOnly) args.push('--persistent');
    return parseLines((await this.reads.run(args)).stdout).map((u) => u.toLowerCase());
  }

  async dominfo(ref: DomainRef): Promise<Record<string, string>> {
    return parseKeyValueLines((await this.reads.run(['dominfo', '--domain', ref])).stdout);
  }

  async domstate(ref: DomainRef): Promise<{ state: VirshStateWord; reason?: string }> {
    return parseDomstateReason((await this.reads.run(['domstate', '--domain', ref, '--reason'])).stdout);
  }

  async dumpxml(ref: DomainRef, opts: { inactive?: boolean; secure?: boolean } = {}): Promise<string> {
    const args = ['dumpxml', '--domain', ref];
    if (opts.inactive) args.push('--inactive');
    if (opts.secure) args.push('--security-info');
    return (await this.reads.run(args)).stdout;
  }

  async domainXml(ref: DomainRef, opts: { inactive?: boolean } = {}): Promise<DomainXmlInfo> {
    return parseDomainXml(await this.dumpxml(ref, opts));
  }

  /** dominfo + domstate --reason + dumpxml → DomainSnapshot. Throws VirshError(domain_not_found) when
   * the domain vanished in between. Pass what the caller already knows to spare processes: a
   * `dominfo` it just read, or `persistent` (dominfo's only field the live XML lacks). */
  async snapshot(
    ref: DomainRef,
    known: { dominfo?: Record<string, string>; persistent?: boolean } = {},
  ): Promise<DomainSnapshot> {
    const needDominfo = known.dominfo === undefined && known.persistent === undefined;
    const [dominfo, state, xml] = await Promise.all([
      needDominfo ? this.dominfo(ref) : known.dominfo,
      this.domstate(ref),
      this.dumpxml(ref),
    ]);
    return toDomainSnapshot({ dominfo, persistent: known.persistent, state, xml: parseDomainXml(xml) });
  }

  /** Defines a domain from XML produced by the engine. The XML goes through a private temp file
   * (directory 0700, file 0600) that is removed afterwards; nothing is interpolated into it here. */
  async define(xml: string, opts: { validate?: boolean } = {}): Promise<{ name: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-agent-'));
    const file = join(dir, 'domain.xml');
    try {
      await writeFile(file, xml, { mode: 0o600, flag: 'wx' });
      const args = ['define', '--file', file];
      if (opts.validate) args.push('--validate');
      const { stdout } = await this.virsh.run(args);
      const name = parseDefinedName(stdout);
      if (name === null)
        throw new VirshError('libvirt_error', `unexpected virsh define output: ${stdout.trim()}`);
      return { name };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Undefines; adds --nvram when the domain has UEFI vars (libvirt refuses otherwise). */
  async undefine(ref: DomainRef, opts: { removeAllStorage?: boolean } = {}): Promise<void> {
    const xml = await this.domainXml(ref, { inactive: true });
    const args = [
      'undefine',
      '--domain',
      ref,
      '--managed-save',
      '--snapshots-metadata',
      '--checkpoints-metadata',
    ];
    if (xml.hasNvram) args.push('--nvram');
    if (opts.removeAllStorage) args.push('--remove-all-storage');
    await this.virsh.run(args);
  }

  async power(action: PowerAction, ref: DomainRef, opts: { timeoutMs?: number } = {}): Promise<void> {
    await this.virsh.run([action, '--domain', ref], opts);
  }

  /** `domstats --raw` of the given domains, or of every running domain. */
  async domstats(refs: DomainRef[] = []): Promise<RawDomainStats[]> {
    const args = ['domstats', '--raw'];
    if (refs.length) for (const r of refs) args.push('--domain', r);
    else args.push('--list-active');
    return parseDomstatsRaw((await this.virsh.run(args)).stdout);
  }

  async capabilitiesXml(): Promise<string> {
    return (await this.virsh.run(['capabilities'])).stdout;
  }

  async domcapabilitiesXml(opts: { virttype?: 'kvm' | 'qemu'; arch?: string } = {}): Promise<string> {
    const args = ['domcapabilities'];
    if (opts.virttype) args.push('--virttype', opts.virttype);
    if (opts.arch) args.push('--arch', opts.arch);
    return (await this.virsh.run(args)).stdout;
  }

  /** For each named model, the CPU features the hypervisor lacks on this host (`hypervisor-cpu-compare
   * --error`, one call per model, one after the other: it runs once per hello). A model it finds
   * compatible, or a failure that names no feature, maps to []. */
  async cpuModelMissingFeatures(
    models: string[],
    virttype: 'kvm' | 'qemu',
  ): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    if (!models.length) return out;
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-agent-'));
    try {
      for (const [i, model] of models.entries()) {
        const file = join(dir, `cpu-${i}.xml`);
        await writeFile(file, cpuModelXml(model), { mode: 0o600, flag: 'wx' });
        try {
          await this.virsh.run(['hypervisor-cpu-compare', '--virttype', virttype, '--error', file]);
          out[model] = [];
        } catch (e) {
          if (!(e instanceof VirshError)) throw e;
          out[model] = parseMissingFeatures(`${e.message}\n${e.details.stderr ?? ''}`);
        }
      }
      return out;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async nodeinfo(): Promise<NodeInfo> {
    return parseNodeinfo((await this.virsh.run(['nodeinfo'])).stdout);
  }

  async version(): Promise<ReturnType<typeof parseVersion>> {
    return parseVersion((await this.virsh.run(['version'])).stdout);
  }

  async poolList(): Promise<Array<Record<string, string>>> {
    return parseTable((await this.virsh.run(['pool-list', '--all', '--details'])).stdout);
  }

  async volList(pool: string): Promise<Array<Record<string, string>>> {
    return parseTable((await this.virsh.run(['vol-list', '--pool', pool, '--details'])).stdout);
  }

  async netList(): Promise<Array<Record<string, string>>> {
    return parseTable((await this.virsh.run(['net-list', '--all'])).stdout);
  }

  /** Cheap liveness probe of the libvirt connection. */
  async ping(): Promise<boolean> {
    try {
      await this.virsh.run(['uri'], { timeoutMs: 5000 });
      return true;
    } catch {
      return false;
    }
  }
}
