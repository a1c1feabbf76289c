/** Pure readers of what the preflight commands print (unit-tested without a host). */

export function parseOsRelease(text: string): string {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return fields.get('PRETTY_NAME') ?? fields.get('NAME') ?? 'unknown distribution';
}

export interface CpuFacts {
  vendor: string;
  virtFlag: 'vmx' | 'svm' | null;
  cpus: number;
}

export function parseCpuInfo(text: string): CpuFacts {
  const vendor = /^vendor_id\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? 'unknown vendor';
  const flags = /^flags\s*:\s*(.+)$/m.exec(text)?.[1]?.split(/\s+/) ?? [];
  const virtFlag = flags.includes('vmx') ? 'vmx' : flags.includes('svm') ? 'svm' : null;
  const cpus = (text.match(/^processor\s*:/gm) ?? []).length;
  return { vendor, virtFlag, cpus };
}

/** MemAvailable of /proc/meminfo, in MiB (0 when absent). */
export function parseMemAvailableMib(text: string): number {
  const kb = Number(/^MemAvailable:\s+(\d+)\s+kB$/m.exec(text)?.[1] ?? 0);
  return Math.floor(kb / 1024);
}

/** Available space of the filesystem `df -Pk <dir>` printed, in MiB. */
export function parseDfAvailableMib(text: string): number {
  const line = text.trim().split('\n')[1] ?? '';
  return Math.floor(Number(line.trim().split(/\s+/)[3] ?? 0) / 1024);
}

/** `virt-host-validate` lines that are not PASS, trimmed (e.g. `QEMU: Checking for hardware virtualization : FAIL (...)`). */
export function virtHostValidateProblems(text: string): { fail: string[]; warn: string[] } {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return { fail: lines.filter((l) => / : FAIL/.test(l)), warn: lines.filter((l) => / : WARN/.test(l)) };
}

/** The host's clock minus the engine's, the round trip's middle taken as the instant it was read. */
export function clockSkewMs(hostEpochSeconds: string, sentAt: number, receivedAt: number): number {
  const host = Number(hostEpochSeconds.trim()) * 1000;
  if (!Number.isFinite(host)) throw new Error(`unreadable host time ${JSON.stringify(hostEpochSeconds)}`);
  return Math.round(host - (sentAt + receivedAt) / 2);
}

/** `v20.11.1` → 20 */
export function nodeMajor(version: string): number {
  return Number(/^v(\d+)\./.exec(version.trim())?.[1] ?? 0);
}

/** host and port a libvirt URI connects to (qemu+tcp → 16509, qemu+tls → 16514, qemu+ssh → 22). */
export function libvirtEndpoint(uri: string): { host: string; port: number } | null {
  const m = /^qemu\+(tcp|tls|ssh|libssh|libssh2):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\//.exec(uri);
  if (!m) return null;
  const defaults: Record<string, number> = { tcp: 16509, tls: 16514, ssh: 22, libssh: 22, libssh2: 22 };
  return { host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : defaults[m[1]!]! };
}
