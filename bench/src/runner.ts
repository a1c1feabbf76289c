import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitCommit, loadSnapshot, machineInfo } from './lib/machine';
import { BUILD_ROOT, PERFORMANCE_DOC, REPO_ROOT, RESULTS_DIR } from './lib/paths';
import { updateDoc } from './lib/report';
import type { BenchResult } from './lib/types';
import { BENCHMARKS } from './registry';

/** `tsx bench/src/runner.ts [--quick] [--no-doc] [names...]`: runs benchmarks one after the other,
 * writes bench/results/<name>-<timestamp>.json and regenerates docs/performance.md. Benchmarks
 * measure and report; a missed target never fails the run (only a crash does). */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const writeDoc = !args.includes('--no-doc');
  if (args.includes('--list')) {
    for (const b of BENCHMARKS)
      console.log(`${b.name.padEnd(16)} ${b.title}${b.needs ? ` (needs ${b.needs})` : ''}`);
    return 0;
  }
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
    return 2;
  }
  const selected = BENCHMARKS.filter((b) => (names.length ? names.includes(b.name) : true));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const fresh = new Map<string, { result: BenchResult; file: string }>();
  let crashed = 0;
  for (const b of selected) {
    if (!b.run) {
      console.error(`[bench] ${b.name}: not yet measurable (needs ${b.needs})`);
      continue;
    }
    const log = (line: string) => console.error(`[bench ${b.name}] ${line}`);
    log(`starting${quick ? ' (quick)' : ''}`);
    const started = new Date();
    const loadBefore = await loadSnapshot();
    let outcome: Awaited<ReturnType<NonNullable<typeof b.run>>> = { rows: [], details: {} };
    let error: string | undefined;
    try {
      outcome = await b.run({ quick, log });
    } catch (err) {
      error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`FAILED: ${error}`);
      crashed++;
    }
    const finished = new Date();
    const result: BenchResult = {
      name: b.name,
      title: b.title,
      description: b.description,
      quick,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationS: (finished.getTime() - started.getTime()) / 1000,
      commit:
        process.env.KELPIE_BENCH_COMMIT ??
        (BUILD_ROOT === REPO_ROOT
          ? gitCommit(REPO_ROOT)
          : `${gitCommit(REPO_ROOT).replace('+dirty', '')} (built in ${BUILD_ROOT})`),
      machine: machineInfo(),
      loadBefore,
      loadAfter: await loadSnapshot(),
      ...outcome,
      ...(error ? { error: error.split('\n')[0] } : {}),
    };
    const file = join(RESULTS_DIR, `${b.name}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    fresh.set(b.name, { result, file });
    for (const row of result.rows)
      log(
        `${row.what}: ${row.result} (baseline ${row.baseline ?? '—'}, target ${row.target ?? '—'}, met ${row.met ?? '—'})`,
      );
    log(`wrote ${file}`);
    if (writeDoc) updateDoc(PERFORMANCE_DOC, BENCHMARKS, fresh);
  }
  if (writeDoc) {
    updateDoc(PERFORMANCE_DOC, BENCHMARKS, fresh);
    console.error(`[bench] updated ${PERFORMANCE_DOC}`);
  }
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
