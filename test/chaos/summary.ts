import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaultEvent } from './faults';
import type { Outcome } from './operations';
import type { Tolerated, Violation } from './world';

export interface ChaosSummary {
  seed: number;
  mode: 'ci' | 'manual';
  startedAt: string;
  /** Whole test: lab, VMs, soak, settle and final checks. */
  totalSeconds: number;
  soakSeconds: number;
  hosts: number;
  vmsAtStart: number;
  vmsAtEnd: number;
  faultMenu: string[];
  /** Faults whose private service was not running (not injected). */
  faultsLeftOut: string[];
  operations: {
    total: number;
    byType: Record<string, Partial<Record<Outcome, number>>>;
    conflictPairs: number;
    conflictBothAccepted: number;
  };
  faults: { total: number; byType: Record<string, number>; events: FaultEvent[] };
  checks: { continuous: number; partial: number; inventoryCheckpoints: number; orphanGc: string };
  violations: Violation[];
  tolerated: Tolerated[];
}

export const ARTIFACT_DIR = join(__dirname, '..', '..', 'test-artifacts', 'chaos');
export const DOCS_FILE = join(__dirname, '..', '..', 'docs', 'chaos.md');
const START = '<!-- chaos-summary:start -->';
const END = '<!-- chaos-summary:end -->';

export async function writeSummary(s: ChaosSummary): Promise<string> {
  await mkdir(ARTIFACT_DIR, { recursive: true });
  const json = JSON.stringify(s, null, 2);
  await writeFile(join(ARTIFACT_DIR, `summary-${s.seed}.json`), json);
  const last = join(ARTIFACT_DIR, 'last-summary.json');
  await writeFile(last, json);
  return last;
}

const OUTCOMES: Outcome[] = [
  'succeeded',
  'failed',
  'interrupted',
  'not_final',
  'refused_409',
  'unavailable_503',
  'rejected_4xx',
  'server_error_5xx',
  'transport_error',
];

/** The summary as the Markdown block docs/chaos.md carries. */
export function renderSummary(s: ChaosSummary): string {
  const used = OUTCOMES.filter((o) => Object.values(s.operations.byType).some((r) => r[o]));
  const rows = Object.entries(s.operations.byType)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, r]) => `| ${op} | ${used.map((o) => r[o] ?? 0).join(' | ')} |`);
  const faults = Object.entries(s.faults.byType)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `| ${k} | ${n} |`);
  const byKind = (list: Violation[]) => {
    const m = new Map<string, number>();
    for (const v of list) m.set(v.kind, (m.get(v.kind) ?? 0) + 1);
    return [...m].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  };
  return [
    `Last recorded run: seed \`${s.seed}\`, mode ${s.mode}, started ${s.startedAt}; soak ${s.soakSeconds} s ` +
      `(whole test ${s.totalSeconds} s), ${s.hosts} hosts, ${s.vmsAtStart} VMs at the start, ${s.vmsAtEnd} at the end.`,
    '',
    `**Invariant violations: ${s.violations.length}** (${byKind(s.violations)}). ` +
      `Tolerated known findings (printed, counted, owned by another slice): ${s.tolerated.length} (${byKind(s.tolerated)}).`,
    '',
    `Continuous checks: ${s.checks.continuous} complete + ${s.checks.partial} with a host not answering; ` +
      `inventory checkpoints: ${s.checks.inventoryCheckpoints}; orphan volumes: ${s.checks.orphanGc}.`,
    '',
    `Operations: ${s.operations.total} (conflicting pairs fired at once: ${s.operations.conflictPairs}, ` +
      `both accepted: ${s.operations.conflictBothAccepted}).`,
    '',
    `| operation | ${used.join(' | ')} |`,
    `| --- | ${used.map(() => '---:').join(' | ')} |`,
    ...rows,
    '',
    `Faults injected: ${s.faults.total} (menu: ${s.faultMenu.join(', ')}` +
      `${s.faultsLeftOut.length ? `; left out, no private service: ${s.faultsLeftOut.join(', ')}` : ''}).`,
    '',
    '| fault | injected |',
    '| --- | ---: |',
    ...faults,
    ...(s.violations.length || s.tolerated.length
      ? ['', 'Findings:', '', ...[...s.violations, ...s.tolerated].map((v) => `- ${v.kind}: ${v.detail}`)]
      : []),
  ].join('\n');
}

/** Replaces the block between the markers in docs/chaos.md. */
export async function updateDocs(s: ChaosSummary, file = DOCS_FILE): Promise<void> {
  const doc = await readFile(file, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} lacks the ${START} … ${END} markers`);
  await writeFile(file, `${doc.slice(0, a + START.length)}\n${renderSummary(s)}\n${doc.slice(b)}`);
}
