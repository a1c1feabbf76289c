import { Agent } from './agent';
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const agent = new Agent(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutdown requested');
    const force = setTimeout(() => {
      log.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    agent
      .stop()
      .then(() => {
        log.flush();
        process.exit(0);
      })
      .catch((e: Error) => {
        log.error({ err: e.message }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await agent.start();
  } catch (e) {
    log.fatal({ err: (e as Error).message }, 'agent failed to start');
    await agent.stop().catch(() => undefined);
    log.flush();
    process.exit(1);
  }
}

void main();
