import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { CommandPayload } from '@kelpie/shared-types';
import { create } from 'xmlbuilder2';
import { AgentError } from '../../errors/agent-error';
import { killTree, virshEnv } from '../process';
import type { LibvirtClient } from './libvirt-client';

// ---------------------------------------------------------------------------------------------
// Local tools (qemu-img, genisoimage…): argument arrays, never a shell, with a timeout.
// ---------------------------------------------------------------------------------------------

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  timeoutMs?: number;
  cwd?: string;
  /** Called with every chunk of stdout (e.g. `qemu-img convert -p` progress). */
  onStdout?: (chunk: string) => void;
  /** Aborting kills the tool (its whole process group). */
  signal?: AbortSignal;
}

/** Runs a local binary with an argument array; rejects with AgentError('libvirt_error') naming the
 * tool and its stderr when it exits non-zero, AgentError('timeout') when it runs too long. */
export function runTool(
  binary: string,
  args: readonly string[],
  opts: ToolOptions = {},
): Promise<ToolResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], {
      env: virshEnv(),
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let cancelled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid, 'SIGKILL');
    }, timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killTree(child.pid, 'SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    child.stdout.on('data', (b: Buffer) => {
      out.push(b);
      opts.onStdout?.(b.toString('utf8'));
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new AgentError('internal', `cannot run ${binary}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (cancelled)
        reject(new AgentError('timeout', `${binary} ${args[0] ?? ''} cancelled: the command's time is up`));
      else if (timedOut)
        reject(new AgentError('timeout', `${binary} ${args[0] ?? ''} timed out after ${timeoutMs} ms`));
      else if (code !== 0)
        reject(
          new AgentError(
            'libvirt_error',
            `${binary} ${args[0] ?? ''} failed: ${stderr.trim() || `exit ${code}`}`,
            {
              stderr: stderr.trim(),
            },
          ),
        );
      else resolve({ stdout, stderr });
    });
  });
}

export interface ImageInfo {
  path: string;
  format: string;
  virtualSizeBytes: number;
  allocationBytes: number;
  backingPath: string | null;
  backingFormat: string | null;
}

interface QemuImgJson {
  filename: string;
  format: string;
  'virtual-size': number;
  'actual-size'?: number;
  'full-backing-filename'?: string;
  'backing-filename'?: string;
  'backing-filename-format'?: string;
}

function toImageInfo(j: QemuImgJson): ImageInfo {
  const backing = j['full-backing-filename'] ?? j['backing-filename'] ?? null;
  return {
    path: j.filename,
    format: j.format,
    virtualSizeBytes: j['virtual-size'],
    allocationBytes: j['actual-size'] ?? 0,
    backingPath: backing ? (backing.startsWith('/') ? backing : join(dirname(j.filename), backing)) : null,
    backingFormat: j['backing-filename-format'] ?? null,
  };
}

/** `qemu-img info -U --output=json` (force-share: the image may be open by a running guest). */
export async function qemuImgInfo(path: string): Promise<ImageInfo> {
  const { stdout } = await runTool('qemu-img', ['info', '-U', '--output=json', '--', path]);
  return toImageInfo(JSON.parse(stdout) as QemuImgJson);
}

/** The whole chain, top (the given image) first. */
export async function qemuImgChain(path: string): Promise<ImageInfo[]> {
  const { stdout } = await runTool('qemu-img', [
    'info',
    '-U',
    '--backing-chain',
    '--output=json',
    '--',
    path,
  ]);
  return (JSON.parse(stdout) as QemuImgJson[]).map(toImageInfo);
}

/** A sibling temp name, renamed into place when complete (a half-written target never appears). */
const partName = (target: string) =>
  join(dirname(target), `.${basename(target)}.part-${randomBytes(4).toString('hex')}`);

async function copyOwner(from: string, to: string): Promise<void> {
  try {
    const s = await stat(from);
    await chown(to, s.uid, s.gid);
  } catch {
    /* best effort: libvirt's dynamic ownership fixes it at start */
  }
}

async function assertAbsent(path: string): Promise<void> {
  try {
    await stat(path);
  } catch {
    return;
  }
  throw new AgentError('operation_invalid', `target ${path} already exists`);
}

/** Full copy (`qemu-img convert`, no backing file, sparse) of `source` to `target` in the source's
 * format; progress 0–100 through onProgress. */
export async function fullCopy(
  source: string,
  target: string,
  onProgress: (pct: number) => void,
  signal?: AbortSignal,
): Promise<ImageInfo> {
  const info = await qemuImgInfo(source);
  await assertAbsent(target);
  const part = partName(target);
  let last = -1;
  try {
    await runTool('qemu-img', ['convert', '-p', '-f', info.format, '-O', info.format, '--', source, part], {
      timeoutMs: 6 * 3_600_000,
      signal,
      onStdout: (chunk) => {
        const m = /\((\d+(?:\.\d+)?)\/100%\)/g;
        let hit: RegExpExecArray | null;
        let pct = -1;
        while ((hit = m.exec(chunk))) pct = Number(hit[1]);
        if (pct >= 0 && Math.floor(pct) !== last) {
          last = Math.floor(pct);
          onProgress(pct);
        }
      },
    });
    await rename(part, target);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  await copyOwner(source, target);
  return qemuImgInfo(target);
}

/** Thin copy: a qcow2 overlay backed by `source` (`qemu-img create -f qcow2 -b source -F fmt`). */
export async function thinCopy(source: string, target: string, signal?: AbortSignal): Promise<ImageInfo> {
  const info = await qemuImgInfo(source);
  await assertAbsent(target);
  const part = partName(target);
  try {
    await runTool('qemu-img', ['create', '-f', 'qcow2', '-b', source, '-F', info.format, part], { signal });
    await rename(part, target);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  await copyOwner(source, target);
  return qemuImgInfo(target);
}

// ---------------------------------------------------------------------------------------------
// Clone XML: the source's inactive XML with identity, MACs and disk sources replaced in the DOM.
// ---------------------------------------------------------------------------------------------

export interface CloneXmlOptions {
  sourceUuid: string;
  uuid: string;
  name: string;
  /** old path → new path (and its format) for every file-backed disk that is copied. */
  disks: Map<string, { path: string; format: string }>;
  macs: string[];
}

/** The slice of the W3C DOM (xmlbuilder2's `node`) these operations use; the agent has no DOM lib. */
export interface El {
  readonly tagName: string;
  readonly children: ArrayLike<El>;
  readonly attributes: ArrayLike<{ name: string; value: string }>;
  readonly firstChild: El | null;
  readonly ownerDocument: { createElement(tag: string): El };
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeChild(child: El): El;
  appendChild(child: El): El;
  insertBefore(child: El, ref: El | null): El;
  getElementsByTagName(tag: string): ArrayLike<El>;
}

/** Parses XML into a DOM (xmlbuilder2): the builder (for `end()`) and the root element. */
export function parseDom(xml: string): { doc: ReturnType<typeof create>; root: El } {
  const doc = create(xml);
  return { doc, root: (doc.node as unknown as { documentElement: El }).documentElement };
}

export const children = (el: El, tag: string): El[] =>
  Array.from(el.children).filter((c) => c.tagName === tag);
export const first = (el: El, tag: string): El | undefined => children(el, tag)[0];

/** Derives a clone's domain XML from the source's (never string replacement: parsed and edited as
 * a DOM). Throws when a file-backed disk of the source has no entry in `disks`. */
export function cloneDomainXml(sourceXml: string, o: CloneXmlOptions): { xml: string; macs: string[] } {
  const { doc, root } = parseDom(sourceXml);
  if (root.tagName !== 'domain') throw new AgentError('invalid_payload', 'source XML is not a domain');
  const setText = (tag: string, value: string) => {
    let el = first(root, tag);
    if (!el) {
      el = root.ownerDocument.createElement(tag);
      root.appendChild(el);
    }
    el.textContent = value;
  };
  setText('name', o.name);
  setText('uuid', o.uuid);
  // Kelpie's metadata: any attribute naming the source VM now names the clone.
  const metadata = first(root, 'metadata');
  for (const el of metadata ? Array.from(metadata.getElementsByTagName('*')) : [])
    for (const a of Array.from(el.attributes))
      if (a.value.toLowerCase() === o.sourceUuid.toLowerCase()) el.setAttribute(a.name, o.uuid);

  // NVRAM belongs to the source: libvirt creates a fresh one from the template for the clone.
  const osEl = first(root, 'os');
  const nvram = osEl && first(osEl, 'nvram');
  if (nvram) nvram.textContent = '';

  const devices = first(root, 'devices');
  const macs: string[] = [];
  if (devices) {
    for (const disk of children(devices, 'disk')) {
      const device = disk.getAttribute('device') ?? 'disk';
      const source = first(disk, 'source');
      const file = source?.getAttribute('file');
      if (device !== 'disk' || disk.getAttribute('type') !== 'file' || !source || !file) continue;
      const copy = o.disks.get(file);
      if (!copy) throw new AgentError('invalid_payload', `disk ${file} of the source has no copy target`);
      source.setAttribute('file', copy.path);
      const driver = first(disk, 'driver');
      if (driver) driver.setAttribute('type', copy.format);
      // The clone's chain is described by the image itself.
      for (const bs of children(disk, 'backingStore')) disk.removeChild(bs);
    }
    // A serial log named after the source (Kelpie names it by the VM's UUID) is the source's: virtlogd
    // holds it open while the source runs, so a clone using it could not start beside it.
    for (const chardev of [...children(devices, 'serial'), ...children(devices, 'console')])
      for (const log of children(chardev, 'log')) {
        const file = log.getAttribute('file');
        if (file?.includes(o.sourceUuid)) log.setAttribute('file', file.split(o.sourceUuid).join(o.uuid));
      }
    let i = 0;
    for (const nic of children(devices, 'interface')) {
      for (const m of children(nic, 'mac')) nic.removeChild(m);
      // Runtime names of the source (vnetN, aliases) must not be reused.
      for (const t of children(nic, 'target')) nic.removeChild(t);
      const mac = o.macs[i++];
      if (mac) {
        const el = root.ownerDocument.createElement('mac');
        el.setAttribute('address', mac);
        nic.insertBefore(el, nic.firstChild);
        macs.push(mac);
      }
    }
  }
  return { xml: doc.end({ prettyPrint: true }), macs };
}

/** Reads the MACs libvirt gave a defined domain, in document order. */
export function interfaceMacs(xml: string): string[] {
  const root = parseDom(xml).root;
  const devices = first(root, 'devices');
  if (!devices) return [];
  return children(devices, 'interface').map((nic) => first(nic, 'mac')?.getAttribute('address') ?? '');
}

export type ClonePayload = CommandPayload<'vm.clone'>;

export interface CloneResultDisk {
  target: string;
  path: string;
  format: string;
  backingPath: string | null;
  virtualSizeBytes: number;
}

/** Clones a stopped domain: copies its disks, defines the clone. Removes what it created on failure. */
export async function cloneDomain(
  libvirt: LibvirtClient,
  p: Required<Pick<ClonePayload, 'sourceUuid' | 'uuid' | 'name' | 'disks'>> & {
    macs: string[];
    xml?: string;
  },
  progress: (pct: number, message: string) => void,
  signal?: AbortSignal,
): Promise<{ uuid: string; macs: string[]; disks: CloneResultDisk[] }> {
  const state = await libvirt.domstate(p.sourceUuid);
  if (state.state !== 'shutoff')
    throw new AgentError('operation_invalid', `source domain is ${state.state}; clone needs it shut off`);
  const sourceXml = await libvirt.dumpxml(p.sourceUuid, { inactive: true });
  const targets = diskTargets(sourceXml);
  for (const d of p.disks)
    if (!targets.has(d.sourcePath))
      throw new AgentError('invalid_payload', `${d.sourcePath} is not a disk of the source`);
  const created: string[] = [];
  const copies = new Map<string, { path: string; format: string }>();
  const result: CloneResultDisk[] = [];
  try {
    for (const [i, d] of p.disks.entries()) {
      signal?.throwIfAborted();
      const share = 90 / Math.max(1, p.disks.length);
      progress(Math.round(i * share), `copying disk ${targets.get(d.sourcePath)} (${d.mode})`);
      const img =
        d.mode === 'thin'
          ? await thinCopy(d.sourcePath, d.targetPath, signal)
          : await fullCopy(
              d.sourcePath,
              d.targetPath,
              (pct) =>
                progress(
                  Math.round(i * share + (pct / 100) * share),
                  `copying disk ${targets.get(d.sourcePath)}: ${Math.floor(pct)}%`,
                ),
              signal,
            );
      created.push(d.targetPath);
      copies.set(d.sourcePath, { path: d.targetPath, format: img.format });
      result.push({
        target: targets.get(d.sourcePath) ?? '',
        path: d.targetPath,
        format: img.format,
        backingPath: img.backingPath,
        virtualSizeBytes: img.virtualSizeBytes,
      });
    }
    signal?.throwIfAborted();
    progress(92, 'defining the clone');
    const xml =
      p.xml ??
      cloneDomainXml(sourceXml, {
        sourceUuid: p.sourceUuid,
        uuid: p.uuid,
        name: p.name,
        disks: copies,
        macs: p.macs,
      }).xml;
    await libvirt.define(xml);
    const macs = interfaceMacs(await libvirt.dumpxml(p.uuid, { inactive: true }));
    return { uuid: p.uuid, macs, disks: result };
  } catch (e) {
    for (const f of created) await rm(f, { force: true });
    throw e;
  }
}

/** file path → target dev of every file-backed `disk` device. */
export function diskTargets(xml: string): Map<string, string> {
  const root = parseDom(xml).root;
  const devices = first(root, 'devices');
  const out = new Map<string, string>();
  for (const disk of devices ? children(devices, 'disk') : []) {
    if ((disk.getAttribute('device') ?? 'disk') !== 'disk') continue;
    const file = first(disk, 'source')?.getAttribute('file');
    const dev = first(disk, 'target')?.getAttribute('dev');
    if (file && dev) out.set(file, dev);
  }
  return out;
}
