/** Writes integration-durations.json from a jest --json results file (the files over a minute, which
 * are the ones whose start order decides when the run ends): node test/support/record-durations.js
 * test-artifacts/results/jest-integration.json */
const fs = require('node:fs');
const path = require('node:path');

const [resultsFile] = process.argv.slice(2);
if (!resultsFile) throw new Error('usage: record-durations.js <jest-integration.json>');
const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
const rootDir = path.resolve(__dirname, '../..');
const seconds = Object.fromEntries(
  results.testResults
    .map((r) => [path.relative(rootDir, r.name), Math.round((r.endTime - r.startTime) / 1000)])
    .filter(([, s]) => s >= 60)
    .sort(([, a], [, b]) => b - a),
);
const out = path.join(__dirname, 'integration-durations.json');
fs.writeFileSync(out, JSON.stringify({ recordedFrom: path.basename(resultsFile), seconds }, null, 2) + '\n');
console.log(`${Object.keys(seconds).length} files of a minute or more written to ${out}`);
