import { XMLParser } from 'fast-xml-parser';

/** Elements that may repeat in libvirt's domain/capabilities XML: always parsed as arrays. */
const ARRAYS = new Set([
  'graphics',
  'disk',
  'interface',
  'feature',
  'cell',
  'cpu',
  'guest',
  'domain',
  'arch',
  'machine',
  'hostdev',
  'channel',
  'serial',
  'console',
  'pages',
  'secmodel',
  'baselabel',
  'sibling',
  'value',
  'enum',
  'model',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name, jpath) => {
    // The document root (`domain`, `capabilities`, `domainCapabilities`) is never an array.
    if (typeof jpath === 'string' && !jpath.includes('.')) return false;
    return ARRAYS.has(name);
  },
});

export type XmlNode = Record<string, unknown>;

export function parseXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

export function asArray<T = XmlNode>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

export function node(v: unknown): XmlNode | undefined {
  if (Array.isArray(v)) v = v[0];
  return v !== null && typeof v === 'object' ? (v as XmlNode) : undefined;
}

/** Text content of an element (plain string, or `#text` when it has attributes). */
export function text(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  const n = node(v);
  const t = n?.['#text'];
  return t === undefined ? undefined : String(t);
}

export function attr(v: unknown, name: string): string | undefined {
  const n = node(v);
  const a = n?.[`@_${name}`];
  return a === undefined ? undefined : String(a);
}

/** Converts libvirt's memory element (value + unit) to KiB. */
export function memoryKiB(v: unknown): number | undefined {
  const t = text(v);
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) return undefined;
  const unit = (attr(v, 'unit') ?? 'KiB').toLowerCase();
  const factor: Record<string, number> = {
    b: 1 / 1024,
    bytes: 1 / 1024,
    k: 1,
    kib: 1,
    kb: 1000 / 1024,
    m: 1024,
    mib: 1024,
    mb: 1e6 / 1024,
    g: 1024 ** 2,
    gib: 1024 ** 2,
    gb: 1e9 / 1024,
    t: 1024 ** 3,
    tib: 1024 ** 3,
    tb: 1e12 / 1024,
  };
  return Math.round(n * (factor[unit] ?? 1));
}
