import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { debianVersion, packageFiles } from '../packaging/debian-package';

const BUNDLE = resolve(__dirname, '..', '..', 'bundle');

function dpkgDeb(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('dpkg-deb', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => fail(new Error(`dpkg-deb could not run (${e.message})`)));
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`dpkg-deb failed: ${stderr.trim()}`))));
  });
}

/** Builds kelpie-agent_<version>_all.deb from the agent bundle (made by the agent's build) into `outDir`. */
export async function buildDeb(outDir: string, bundleDir = BUNDLE): Promise<string> {
  const packageJson = await readFile(join(bundleDir, 'package.json'), 'utf8');
  const { version } = JSON.parse(packageJson) as { version: string };
  const code = await readFile(join(bundleDir, 'lib', 'agent.js'));
  const stage = await mkdtemp(join(tmpdir(), 'kelpie-agent-deb-'));
  // The staging root becomes the package's `./`: dpkg must not see a 0700 root directory.
  await chmod(stage, 0o755);
  try {
    for (const f of packageFiles({ code, packageJson, version })) {
      const path = join(stage, f.path);
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
      await writeFile(path, f.data);
      await chmod(path, f.mode);
    }
    await mkdir(outDir, { recursive: true });
    const deb = join(outDir, `kelpie-agent_${debianVersion(version)}_all.deb`);
    await dpkgDeb(['--root-owner-group', '-Zxz', '--build', stage, deb]);
    return deb;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist/deb' } } });
  buildDeb(resolve(values.out!)).then(
    (deb) => console.log(deb),
    (e: unknown) => {
      console.error(`build-deb: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
