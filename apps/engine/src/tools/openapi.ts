/**
 * The OpenAPI document of the engine, generated from the code (controllers, DTOs, entities).
 *
 *   pnpm --filter @kelpie/engine build
 *   node apps/engine/dist/tools/openapi.js            writes docs/openapi.json
 *   node apps/engine/dist/tools/openapi.js --check    exits 1 when docs/openapi.json is stale
 *
 * Needs neither Postgres nor Redis: the Nest app is created in preview mode (modules and routes are
 * scanned, no provider is instantiated, nothing connects).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOpenApi, configureApp } from '../app.factory';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config.schema';

export const OPENAPI_PATH = resolve(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json');

export async function generateOpenApi(): Promise<OpenAPIObject> {
  const config = loadConfig({ KELPIE_LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    preview: true,
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  configureApp(app);
  const document = buildOpenApi(app);
  await app.close();
  return document;
}

export const serialize = (doc: OpenAPIObject) => `${JSON.stringify(doc, null, 2)}\n`;

async function main(): Promise<number> {
  const pathArg = process.argv.find((a) => a.startsWith('--out='));
  const target = pathArg ? resolve(pathArg.slice('--out='.length)) : OPENAPI_PATH;
  const text = serialize(await generateOpenApi());
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== text) {
      console.error(
        `${target} is stale: regenerate it with \`node ${join('apps', 'engine', 'dist', 'tools', 'openapi.js')}\` and commit it`,
      );
      return 1;
    }
    console.log(`${target} is up to date`);
    return 0;
  }
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
