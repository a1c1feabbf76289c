/**
 * Puts a chaos soak summary into docs/chaos.md (between its markers):
 *
 *   npx tsx test/chaos/render-docs.ts [test-artifacts/chaos/last-summary.json]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACT_DIR, ChaosSummary, DOCS_FILE, updateDocs } from './summary';

async function main(): Promise<void> {
  const file = process.argv[2] ?? join(ARTIFACT_DIR, 'last-summary.json');
  const summary = JSON.parse(await readFile(file, 'utf8')) as ChaosSummary;
  await updateDocs(summary);
  process.stdout.write(`${DOCS_FILE} updated from ${file} (seed ${summary.seed})\n`);
}

void main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
