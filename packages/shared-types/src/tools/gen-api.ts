/**
 * The portal's API types, generated from the engine's OpenAPI document (docs/openapi.json) so the
 * portal cannot send or read a shape the engine does not publish.
 *
 *   node packages/shared-types/dist/tools/gen-api.js            writes src/api/openapi.gen.ts
 *   node packages/shared-types/dist/tools/gen-api.js --check    exits 1 when that file is stale
 *
 * `--spec=FILE` and `--out=FILE` point it at other files (the drift test runs it on copies).
 */
import openapiTS, { astToString } from 'openapi-typescript';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const SPEC_PATH = resolve(ROOT, 'docs', 'openapi.json');
export const GENERATED_PATH = resolve(ROOT, 'packages', 'shared-types', 'src', 'api', 'openapi.gen.ts');

const BANNER = `/* eslint-disable */
// Generated from docs/openapi.json by packages/shared-types/src/tools/gen-api.ts — do not edit.
// Regenerate: pnpm gen:api (after \`node apps/engine/dist/tools/openapi.js\`).
`;

export async function generateApiTypes(specPath: string): Promise<string> {
  const ast = await openapiTS(pathToFileURL(specPath), {
    alphabetize: true,
    // A default is what the engine fills in for an omitted field: the field stays optional in a request.
    defaultNonNullable: false,
  });
  return `${BANNER}\n${astToString(ast)}`;
}

function arg(name: string): string | undefined {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? resolve(found.slice(name.length + 3)) : undefined;
}

async function main(): Promise<number> {
  const spec = arg('spec') ?? SPEC_PATH;
  const target = arg('out') ?? GENERATED_PATH;
  const text = await generateApiTypes(spec);
  const shown = relative(process.cwd(), target);
  if (!process.argv.includes('--check')) {
    writeFileSync(target, text);
    console.log(`wrote ${shown}`);
    return 0;
  }
  // A missing file is stale too.
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current === text) {
    console.log(`${shown} is up to date`);
    return 0;
  }
  console.error(
    `${shown} does not match ${relative(process.cwd(), spec)}: run \`pnpm gen:api\` and commit it`,
  );
  return 1;
}

if (require.main === module)
  void main()
    .catch((err: unknown) => {
      console.error(err);
      return 2;
    })
    .then((code) => process.exit(code));
