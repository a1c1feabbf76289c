import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The compiled tool, exactly as CI's `api-client-current` step runs it (the unit step runs after the build).
const TOOL = resolve(__dirname, '..', '..', 'dist', 'tools', 'gen-api.js');
const ROOT = resolve(__dirname, '..', '..', '..', '..');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [TOOL, ...args], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('generated API types (pnpm gen:api, CI api-client-current)', () => {
  let dir: string;
  let spec: string;
  let out: string;
  beforeAll(() => {
    if (!existsSync(TOOL)) throw new Error(`${TOOL} is missing: build @kelpie/shared-types first`);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kelpie-gen-api-'));
    spec = join(dir, 'openapi.json');
    out = join(dir, 'openapi.gen.ts');
    copyFileSync(join(ROOT, 'docs', 'openapi.json'), spec);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the committed file matches docs/openapi.json', () => {
    const r = run('--check');
    expect(r.out).toContain('is up to date');
    expect(r.code).toBe(0);
  });

  it('fails the check when the spec changes without regenerating, and passes once regenerated', () => {
    expect(run(`--spec=${spec}`, `--out=${out}`).code).toBe(0);
    expect(run('--check', `--spec=${spec}`, `--out=${out}`).code).toBe(0);

    // An engine change the portal has not seen: a new field on the VM response.
    const doc = JSON.parse(readFileSync(spec, 'utf8')) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    doc.components.schemas.Vm.properties.driftProbe = { type: 'string' };
    writeFileSync(spec, JSON.stringify(doc, null, 2));

    const stale = run('--check', `--spec=${spec}`, `--out=${out}`);
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('pnpm gen:api');
    expect(readFileSync(out, 'utf8')).not.toContain('driftProbe');

    expect(run(`--spec=${spec}`, `--out=${out}`).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/driftProbe\??: string/);
    expect(run('--check', `--spec=${spec}`, `--out=${out}`).code).toBe(0);
  });
});
