import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { DomainErrorFilter } from './common/errors/domain-error.filter';
import { validationExceptionFactory } from './common/validation/validation-exception.factory';
import { EngineConfig } from './config/config.schema';

export const API_PREFIX = 'api/v1';

/** Builds the engine exactly as production runs it; tests call this too. */
export async function createEngineApp(config: EngineConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  app.use(express.json({ limit: '1mb' }));
  const document = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  serveWeb(app, config);
  return app;
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const spec = new DocumentBuilder()
    .setTitle('Kelpie engine API')
    .setDescription('Datacenters, clusters, hosts and VMs of a KVM fleet. Long actions return 202 and a task.')
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
