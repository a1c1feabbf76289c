/** Pure parsers for virsh's text output (libvirt 9, LC_ALL=C). Fixtures: ../__fixtures__. */

/** `Key:   value` lines (dominfo, nodeinfo). Keys keep their spelling. */
export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line.trimEnd());
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

export interface ListedDomain {
  uuid: string;
  name: string;
}

/** `virsh list --all --uuid --name`: `<uuid> <name>` per line (names may contain spaces). */
export function parseListUuidName(text: string): ListedDomain[] {
  const out: ListedDomain[] = [];
  for (const line of text.split('\n')) {
    const m =
      /^\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\s+(.+?)\s*$/.exec(
        line,
      );
    if (m) out.push({ uuid: m[1]!.toLowerCase(), name: m[2]! });
  }
  return out;
}

/** One value per line (`list --uuid`, `list --name`). */
export function parseLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export type VirshStateWord =
  'nostate' | 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended';

/** virsh's state words (virshDomainStateToString) → libvirt's enum names. */
const STATE_WORDS: Record<string, VirshStateWord> = {
  'no state': 'nostate',
  running: 'running',
  idle: 'blocked',
  blocked: 'blocked',
  paused: 'paused',
  'in shutdown': 'shutdown',
  'shut off': 'shutoff',
  crashed: 'crashed',
  pmsuspended: 'pmsuspended',
};

export function parseStateWord(word: string): VirshStateWord {
  return STATE_WORDS[word.trim().toLowerCase()] ?? 'nostate';
}

/** `virsh domstate --reason`: `running (booted)`, `shut off (destroyed)`, `paused (user)`. */
export function parseDomstateReason(text: string): { state: VirshStateWord; reason?: string } {
  const line = parseLines(text)[0] ?? '';
  const m = /^(.*?)\s*(?:\(([^)]*)\))?$/.exec(line);
  const state = parseStateWord(m?.[1] ?? line);
  const reason = m?.[2]?.trim();
  return reason ? { state, reason } : { state };
}

export interface RawDomainStats {
  name: string;
  fields: Record<string, string>;
}

/** `virsh domstats --raw`: `Domain: 'name'` then indented `key=value` lines. */
export function parseDomstatsRaw(text: string): RawDomainStats[] {
  const out: RawDomainStats[] = [];
  let cur: RawDomainStats | null = null;
  for (const line of text.split('\n')) {
    const head = /^Domain: '(.*)'\s*$/.exec(line);
    if (head) {
      cur = { name: head[1]!, fields: {} };
      out.push(cur);
      continue;
    }
    const kv = /^\s+([^=\s]+)=(.*)$/.exec(line);
    if (kv && cur) cur.fields[kv[1]!] = kv[2]!;
  }
  return out;
}

export interface VirshEvent {
  /** ISO 8601 instant of the event as printed by virsh (`--timestamp`); absent without it. */
  timestamp?: string;
  /** virsh's event name: lifecycle, reboot, device-added, job-completed, migration-iteration, ... */
  event: string;
  domain: string;
  /** Rest of the line, e.g. `Started Booted` for lifecycle. */
  detail?: string;
  /** For lifecycle events: the first word (Defined, Undefined, Started, Suspended, Resumed, Stopped,
   * Shutdown, PMSuspended, Crashed) and the rest (the reason). */
  lifecycle?: { type: string; reason?: string };
  /** Multi-line events (`job-completed`): the indented `field: value` lines that follow the event line,
   * assembled by DomainEventStream. */
  params?: Record<string, string>;
}

const EVENT_RE =
  /^(?:(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(\d{2}): )?event '([^']+)' for domain '(.*?)'(?::(?: (.*))?)?$/;

/** One line of `virsh event --all --loop --timestamp`; null for anything else (continuation lines
 * of multi-line events, `events received: N`, blank lines). A multi-line event's first line ends with
 * `:` (e.g. `event 'job-completed' for domain 'x':`). */
export function parseEventLine(line: string): VirshEvent | null {
  const m = EVENT_RE.exec(line.trimEnd());
  if (!m) return null;
  const ev: VirshEvent = { event: m[5]!, domain: m[6]! };
  if (m[1]) {
    const d = new Date(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
    if (!Number.isNaN(d.getTime())) ev.timestamp = d.toISOString();
  }
  const detail = m[7]?.trim();
  if (detail) ev.detail = detail;
  if (ev.event === 'lifecycle' && detail) {
    const [type, ...rest] = detail.split(' ');
    ev.lifecycle = rest.length ? { type: type!, reason: rest.join(' ') } : { type: type! };
  }
  return ev;
}

/** A continuation line of a multi-line event (`\tdowntime: 172`) → [field, value]; null otherwise. */
export function parseEventParamLine(line: string): [string, string] | null {
  const m = /^\t([A-Za-z0-9_.]+): (.*)$/.exec(line.trimEnd());
  return m ? [m[1]!, m[2]!] : null;
}

/** `virsh version`. */
export function parseVersion(text: string): {
  library?: string;
  api?: string;
  hypervisor?: string;
  hypervisorType?: string;
} {
  const out: { library?: string; api?: string; hypervisor?: string; hypervisorType?: string } = {};
  for (const line of parseLines(text)) {
    let m = /^Using library: \S+ (\S+)/.exec(line);
    if (m) out.library = m[1];
    m = /^Using API: \S+ (\S+)/.exec(line);
    if (m) out.api = m[1];
    m = /^Running hypervisor: (\S+) (\S+)/.exec(line);
    if (m) {
      out.hypervisorType = m[1];
      out.hypervisor = m[2];
    }
  }
  return out;
}

export interface NodeInfo {
  cpuModel: string;
  cpus: number;
  mhz?: number;
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  numaCells: number;
  memoryKiB: number;
}

export function parseNodeinfo(text: string): NodeInfo {
  const kv = parseKeyValueLines(text);
  const num = (k: string) => {
    const n = parseInt(kv[k] ?? '', 10);
    return Number.isFinite(n) ? n : 0;
  };
  const mhz = num('CPU frequency');
  return {
    cpuModel: kv['CPU model'] ?? '',
    cpus: num('CPU(s)'),
    ...(mhz ? { mhz } : {}),
    sockets: num('CPU socket(s)'),
    coresPerSocket: num('Core(s) per socket'),
    threadsPerCore: num('Thread(s) per core'),
    numaCells: num('NUMA cell(s)'),
    memoryKiB: num('Memory size'),
  };
}

/** virsh's tables (pool-list, net-list, vol-list): a header line, a dashed rule, rows. Columns are
 * split on runs of 2+ spaces; header names are lower-cased. */
export function parseTable(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const rule = lines.findIndex((l) => /^-{3,}$/.test(l.trim()));
  if (rule < 1) return [];
  const headers = lines[rule - 1]!.trim()
    .split(/\s{2,}/)
    .map((h) => h.toLowerCase());
  return lines.slice(rule + 1).map((l) => {
    const cells = l.trim().split(/\s{2,}/);
    const row: Record<string, string> = {};
    headers.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
}

/** `Domain 'name' defined from /path` → name. */
export function parseDefinedName(stdout: string): string | null {
  const m = /^Domain '(.*)' defined from /m.exec(stdout);
  return m ? m[1]! : null;
}
