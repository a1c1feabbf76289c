/** `tsx bench/src/tools/cpuprofile-top.ts <file.cpuprofile> [n]`: the functions with the most self
 * time, and the share of time per package (node_modules/<pkg>) or app file. */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file, nArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byFn = new Map<string, number>();
const byArea = new Map<string, number>();
const area = (url: string) => {
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/')) return url.replace(/^.*\/(apps|packages)\//, '$1/');
  return url ? 'node internals' : '(native/idle/gc)';
};
for (const n of profile.nodes) {
  const us = selfUs.get(n.id) ?? 0;
  if (!us) continue;
  const f = n.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '')}:${f.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  byArea.set(area(f.url), (byArea.get(area(f.url)) ?? 0) + us);
}
const n = Number(nArg ?? 25);
const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nby area:');
for (const [k, v] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${pct(v).padStart(6)} ${k}`);
console.log('\nby function (self):');
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, n))
  console.log(`  ${pct(v).padStart(6)} ${k}`);
