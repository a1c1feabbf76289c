import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
export const KELPIE_DOCKER_HOST = 'unix:///run/kelpie-docker.sock';

/**
 * testcontainers on Kelpie's own Docker daemon (scripts/lib/docker.sh): its reaper off (the tests stop
 * what they start; its image could not be pulled anyway) and published ports on this machine — without
 * the override testcontainers looks for the daemon's default bridge, which Kelpie's daemon does not have.
 */
export function useKelpieDocker(): void {
  process.env.DOCKER_HOST ??= KELPIE_DOCKER_HOST;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE = 'localhost';
}

/** Starts the daemon if needed and makes the local images (`ensure_redis_image`, `ensure_postgres_image
 * 17`…): built from Debian packages the first time, cached by the daemon afterwards. Only tests of the
 * `containers` project call this: image builds beside the lab tests starved libvirtd (ADR 0049). */
export async function ensureLocalImages(...steps: string[]): Promise<void> {
  await promisify(execFile)(
    'bash',
    ['-c', ['source scripts/lib/docker.sh', 'ensure_dockerd', ...steps].join(' && ')],
    { cwd: ROOT, env: { ...process.env, KELPIE_ROOT: ROOT }, maxBuffer: 16 << 20 },
  );
}

/** Debian's docker client (it speaks Kelpie's daemon's API version), on Kelpie's daemon. */
export async function docker(...args: string[]): Promise<string> {
  const r = await promisify(execFile)('/usr/bin/docker', args, {
    env: { ...process.env, DOCKER_HOST: process.env.DOCKER_HOST ?? KELPIE_DOCKER_HOST },
  });
  return r.stdout;
}
