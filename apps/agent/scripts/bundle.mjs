// The agent as enrollment installs it on a host: ONE JavaScript file (every dependency inlined, no
// node_modules) plus its package metadata, in apps/agent/bundle/. Only Node (>= 20) is needed on the host.
// msgpackr-extract is msgpackr's optional native accelerator: left out, msgpackr falls back to plain JS.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bundle');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'lib'), { recursive: true });
await build({
  entryPoints: [join(root, 'dist', 'main.js')],
  outfile: join(out, 'lib', 'agent.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['msgpackr-extract'],
  legalComments: 'none',
  logLevel: 'warning',
});
const code = await readFile(join(out, 'lib', 'agent.js'));
await writeFile(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: pkg.name,
      version: pkg.version,
      private: true,
      main: 'lib/agent.js',
      engines: { node: '>=20' },
      sha256: createHash('sha256').update(code).digest('hex'),
    },
    null,
    2,
  )}\n`,
);
