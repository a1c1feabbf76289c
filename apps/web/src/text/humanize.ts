/**
 * The one place API words become words for people: enum values (statuses, task types) and field
 * names (`datacenterId`, `sshAuthorizedKeys`, `disks[0].sizeGiB`) in labels and error messages.
 */

/** Enum values whose plain spelling (underscores as spaces) still reads wrong. */
const VALUE_LABELS: Record<string, string> = {
  non_responsive: 'not responding',
  non_operational: 'not operational',
  storage_domain: 'storage domain',
  vm: 'VM',
  nic: 'NIC',
};

/** A status or other enum value as a label: `preparing_for_maintenance` → preparing for maintenance. */
export function valueLabel(value: string): string {
  return VALUE_LABELS[value] ?? value.replace(/_/g, ' ');
}

/** Words inside API names that are spelled differently in prose. */
const WORDS: Record<string, string> = {
  ssh: 'SSH',
  cpu: 'CPU',
  cpus: 'CPUs',
  vcpus: 'vCPUs',
  vm: 'VM',
  vms: 'VMs',
  nic: 'NIC',
  nics: 'NICs',
  mac: 'MAC',
  iso: 'ISO',
  mtu: 'MTU',
  vlan: 'VLAN',
  ip: 'IP',
  dns: 'DNS',
  uuid: 'UUID',
  url: 'URL',
  ha: 'HA',
  mib: '(MiB)',
  gib: '(GiB)',
  kib: '(KiB)',
  ms: '(ms)',
  mibps: '(MiB/s)',
  cdrom: 'CD-ROM',
  cmdline: 'command line',
  runcmd: 'commands',
  datacenter: 'datacenter',
};

/** A task type as a label: `vm.make-template` → VM make template. */
export function taskTypeLabel(type: string): string {
  const words = type.split(/[._-]/).map((w) => WORDS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function camelWords(name: string): string[] {
  const words = name
    .replace(/MiBps$/, 'Mibps') // one unit, not "Mi Bps"
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ');
  // datacenterId → datacenter, targetHostId → target host; a bare `id` stays.
  if (words.length > 1 && (words.at(-1) === 'id' || words.at(-1) === 'ids')) words.pop();
  return words.map((w) => WORDS[w] ?? w);
}

/** An API field path as words: `disks[0].sizeGiB` → disks #1 size (GiB). */
export function fieldLabel(path: string): string {
  return path
    .split('.')
    .map((part) => {
      if (/^\d+$/.test(part)) return `#${Number(part) + 1}`;
      const m = /^([A-Za-z0-9]+)(?:\[(\d+)\])?$/.exec(part);
      if (!m) return part;
      const words = camelWords(m[1]).join(' ');
      return m[2] === undefined ? words : `${words} #${Number(m[2]) + 1}`;
    })
    .join(' ');
}

/** camelCase identifiers (with an optional path) that are API field names: they end with a unit or
 * a reference suffix, or are known fields. Names people gave objects (`webVm`) are left alone. */
const FIELD_TOKEN =
  /\b[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+(?:\[\d+\])?(?:\.(?:\d+|[a-z][A-Za-z0-9]*(?:\[\d+\])?))*/g;
const FIELD_SHAPE = /(?:Id|Ids|Mib|Gib|Kib|MiBps|Ms|Bytes|Path|Keys|Policy|Mode|Status|Reason)(?:\[\d+\])?$/;
const KNOWN_FIELDS = new Set(['userData', 'isTemplate', 'withMemory', 'withDisks', 'vmNetwork']);

/** An API message or reason with its field names as words: "unique per datacenterId" → unique per
 * datacenter; "sshAuthorizedKeys must be …" → SSH authorized keys must be …. */
export function humanizeApiText(text: string): string {
  return text
    .replace(FIELD_TOKEN, (token) => {
      const last = token.split('.').at(-1)!;
      return FIELD_SHAPE.test(last) || KNOWN_FIELDS.has(token) ? fieldLabel(token) : token;
    })
    .replace(/\b(vcpus|runcmd)\b/g, (w) => fieldLabel(w));
}
