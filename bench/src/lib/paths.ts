import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const BENCH_DIR = join(REPO_ROOT, 'bench');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const PERFORMANCE_DOC = join(REPO_ROOT, 'docs', 'performance.md');
/** Where the built engine/agent/portal come from: this tree, or (KELPIE_BENCH_BUILD_ROOT) another
 * built checkout, e.g. a clean `git archive HEAD` export while this tree is being edited. */
export const BUILD_ROOT = process.env.KELPIE_BENCH_BUILD_ROOT ?? REPO_ROOT;
