import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The agent as the project builds it for hosts (apps/agent/scripts/bundle.mjs): one JS file + metadata. */
export interface AgentBundle {
  code: Buffer;
  packageJson: string;
  version: string;
  sha256: string;
}

export async function loadAgentBundle(dir: string): Promise<AgentBundle> {
  let code: Buffer;
  let packageJson: string;
  try {
    [code, packageJson] = await Promise.all([
      readFile(join(dir, 'lib', 'agent.js')),
      readFile(join(dir, 'package.json'), 'utf8'),
    ]);
  } catch (e) {
    throw new Error(
      `the agent bundle is missing in ${dir} (${(e as Error).message}): build it with pnpm --filter @kelpie/agent build`,
      { cause: e },
    );
  }
  const meta = JSON.parse(packageJson) as { version: string; sha256: string };
  const sha256 = createHash('sha256').update(code).digest('hex');
  if (sha256 !== meta.sha256)
    throw new Error(`the agent bundle in ${dir} does not match its package.json checksum: rebuild it`);
  return { code, packageJson, version: meta.version, sha256 };
}
