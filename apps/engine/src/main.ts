import 'reflect-metadata';
import { createEngineApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config.schema';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createEngineApp(config);
  await app.listen(config.httpPort, config.httpHost);
  console.log(`kelpie engine listening on http://${config.httpHost}:${config.httpPort}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
