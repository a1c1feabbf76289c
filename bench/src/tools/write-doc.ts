import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PERFORMANCE_DOC } from '../lib/paths';
import { updateDoc } from '../lib/report';
import type { BenchResult } from '../lib/types';
import { BENCHMARKS } from '../registry';

/** `tsx bench/src/tools/write-doc.ts bench/results/<name>-<time>.json ...`: regenerates the tables of
 * docs/performance.md from saved results (e.g. benchmarks run separately with --no-doc, or in
 * parallel); the other benchmarks' tables stay as they are. */
const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: write-doc.ts <result.json>...');
  process.exit(2);
}
const fresh = new Map<string, { result: BenchResult; file: string }>();
for (const f of files) {
  const result = JSON.parse(readFileSync(f, 'utf8')) as BenchResult;
  fresh.set(result.name, { result, file: resolve(f) });
}
updateDoc(PERFORMANCE_DOC, BENCHMARKS, fresh);
console.error(`updated ${PERFORMANCE_DOC} from ${[...fresh.keys()].join(', ')}`);
