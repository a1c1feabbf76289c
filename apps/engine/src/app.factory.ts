import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { agentFailureAsDomainError } from './agents/agent-error.mapping';
import { DomainErrorFilter } from './common/errors/domain-error.filter';
import { StrictValidationPipe } from './common/validation/strict-validation.pipe';
import { validationExceptionFactory } from './common/validation/validation-exception.factory';
import { EngineConfig } from './config/config.schema';
import { requestContext } from './common/identity/request-context';
import { EngineMetrics } from './common/metrics/engine-metrics';
import { httpMetrics } from './common/metrics/http-metrics';

import { API_PREFIX } from './app.constants';
import { bodyParserErrors } from './common/errors/body-parser-errors';

export { API_PREFIX };

/** JSON bodies above this are refused with 413 (the largest legitimate body is far smaller). */
export const BODY_LIMIT = '1mb';

/** Builds the engine exactly as production runs it; tests call this too. */
export async function createEngineApp(config: EngineConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // First, so the latency of every answer counts, refusals by the guard or the parser included.
  app.use(httpMetrics(app.get(EngineMetrics)));
  configureApp(app);
  if (config.auth.trustProxy.length) app.set('trust proxy', config.auth.trustProxy);
  const document = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  serveWeb(app, config);
  return app;
}

/** Prefix, validation, errors and body parsing: shared by the engine and the OpenAPI generator. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix(API_PREFIX);
  // Every request gets its context first: the guard fills in the caller, the audit log reads it.
  app.use(requestContext);
  app.useGlobalPipes(
    new StrictValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new DomainErrorFilter([agentFailureAsDomainError]));
  app.use(express.json({ limit: BODY_LIMIT, strict: true, reviver: refuseProtoKeys }));
  // Malformed or oversized bodies fail in the parser, before Nest's filters: answer in the API error shape.
  app.use(bodyParserErrors);
}

/** `__proto__` keys would reach class-transformer as prototype assignments: refuse the body (400). */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('"__proto__" is not allowed in a request body');
  return value;
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const spec = new DocumentBuilder()
    .setTitle('Kelpie engine API')
    .setDescription(
      'Datacenters, clusters, hosts and VMs of a KVM fleet. Long actions return 202 and a task.',
    )
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, spec);
}

/** The portal is a static build; every non-API path falls back to index.html (client-side routes). */
function serveWeb(app: NestExpressApplication, config: EngineConfig): void {
  const dir = config.webDir ?? join(__dirname, '..', '..', 'web', 'dist');
  if (!existsSync(join(dir, 'index.html'))) return;
  app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    res.sendFile(join(dir, 'index.html'));
  });
}
