import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import helmet from 'helmet';
import type { Logger } from 'pino';
import * as swaggerUi from 'swagger-ui-express';
import { AppModule } from './app.module';
import { answerClientErrors } from './common/client-errors';
import { bodyParsing } from './common/body-parsing';
import { PinoNestLogger, requestLogging } from './common/logger';
import { requestId } from './common/request-id.middleware';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/config';
import { projectRoot } from './config/project-root';
import { requestMetrics } from './health/metrics';

export const OPENAPI_FILE = path.join(projectRoot(), 'openapi', 'openapi.json');

/** Builds the application exactly as it serves, for main.ts and for the e2e tests alike. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  configureApp(app, config, logger);
  answerClientErrors(app.getHttpServer());
  await app.init();
  return app;
}

export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(helmet());
  app.use(requestLogging(logger));
  app.use(requestMetrics);
  app.use(bodyParsing({ json: config.jsonBodyLimit, csv: config.csvBodyLimit }));
  if (existsSync(OPENAPI_FILE)) {
    const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as swaggerUi.JsonObject;
    app.use(
      '/docs',
      swaggerUi.serve,
      swaggerUi.setup(document, { customSiteTitle: 'Takedown Exchange API' }),
    );
  }
  app.useGlobalPipes(createValidationPipe());
}
