import { devCredentials } from './credentials';
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  databaseUrl,
  ENGINE_ENTRY,
  ENGINE_PID_FILE,
  ENGINE_PORT,
  ENGINE_URL,
  LOG_DIR,
  REDIS_PREFIX,
  WEB_DIST,
} from './settings';

export async function engineHealthy(): Promise<boolean> {
  try {
    const res = await fetch(`${ENGINE_URL}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Starts the engine as a background process unless one already answers on the port. */
export async function ensureEngine(
  log: (line: string) => void,
  options: { agentRedisUrl: string },
): Promise<void> {
  if (await engineHealthy()) {
    log(`engine already running at ${ENGINE_URL}`);
    return;
  }
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, 'engine.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [ENGINE_ENTRY], {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      KELPIE_DATABASE_URL: databaseUrl(),
      KELPIE_REDIS_URL: 'redis://127.0.0.1:6379',
      KELPIE_REDIS_PREFIX: REDIS_PREFIX,
      KELPIE_HTTP_PORT: String(ENGINE_PORT),
      KELPIE_WEB_DIR: WEB_DIST,
      // Redis as the lab hosts reach it (the lab forwards the bridge address to 127.0.0.1).
      KELPIE_AGENT_REDIS_URL: options.agentRedisUrl,
      KELPIE_ADMIN_USER: devCredentials().username,
      KELPIE_ADMIN_PASSWORD: devCredentials().password,
      KELPIE_BOOTSTRAP_TOKEN: devCredentials().token,
    },
  });
  child.unref();
  writeFileSync(ENGINE_PID_FILE, String(child.pid));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await engineHealthy()) {
      log(`engine started (pid ${child.pid}), log ${logFile}`);
      return;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the engine did not become healthy within 60 s; see ${logFile}`);
}

export async function stopEngine(log: (line: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(ENGINE_PID_FILE, 'utf8'));
  } catch {
    return;
  }
  try {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 40; i++) {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 250));
    }
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(ENGINE_PID_FILE, { force: true });
  log(`engine stopped (pid ${pid})`);
}
