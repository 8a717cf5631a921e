import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readFileSync } from 'node:fs';
import helmet from 'helmet';
import type { Logger } from 'pino';
import * as swaggerUi from 'swagger-ui-express';
import { AppModule } from './app.module';
import { answerClientErrors } from './errors/client-errors';
import { TokenKeysService } from './auth/token-keys.service';
import { bodyParsing } from './common/body-parsing';
import { cheapRefusals } from './common/cheap-refusals.middleware';
import { PinoNestLogger, requestLogging } from './common/logger';
import { RateLimits } from './common/rate-limits.service';
import { requestId } from './common/request-id.middleware';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/config';
import { requestMetrics } from './health/metrics';
import { OPENAPI_FILE } from './openapi/document';

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
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names; by default req.ip is the socket's peer.
  app.set('trust proxy', config.trustProxy.length > 0 ? config.trustProxy : false);
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(helmet());
  app.use(requestLogging(logger));
  app.use(requestMetrics);
  // Cheap refusals first: the address's budgets (and the token's signature) before any body is read.
  app.use(cheapRefusals(app.get(RateLimits), app.get(TokenKeysService), config));
  app.use(
    bodyParsing({
      json: config.jsonBodyLimit,
      csv: config.csvBodyLimit,
      unauthenticated: config.unauthenticatedBodyLimit,
    }),
  );
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
