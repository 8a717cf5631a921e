import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
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
import { RequestActivity } from './common/request-activity';
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
  // Counted from arrival, so background work steps aside for requests still reading their bodies too.
  app.use(app.get(RequestActivity).middleware);
  app.use(securityHeaders());
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
    // serveFiles binds this document's init script to this app (serve shares one module-wide copy between apps).
    app.use('/docs', swaggerUi.serveFiles(document, SWAGGER_UI), swaggerUi.setup(document, SWAGGER_UI));
  }
  app.useGlobalPipes(createValidationPipe());
}

/**
 * Helmet's headers. Its Content-Security-Policy as it is but for two things:
 * - `upgrade-insecure-requests` goes only to requests that came over TLS (req.secure: the socket, or
 *   X-Forwarded-Proto from a proxy TRUST_PROXY names). Sent over plain HTTP it makes the browser fetch /docs' own
 *   scripts from an https:// nobody answers: a blank page from any host but localhost.
 * - styles and fonts from this origin only (helmet also allows any https: origin). The one page served here,
 *   Swagger UI, loads its stylesheet from /docs, has inline <style> blocks ('unsafe-inline') and no fonts.
 */
function securityHeaders(): RequestHandler {
  const directives = { styleSrc: ["'self'", "'unsafe-inline'"], fontSrc: ["'self'"] };
  const overTls = helmet({ contentSecurityPolicy: { directives } });
  const overPlainHttp = helmet({
    contentSecurityPolicy: { directives: { ...directives, upgradeInsecureRequests: null } },
  });
  return (req, res, next) => (req.secure ? overTls : overPlainHttp)(req, res, next);
}

/**
 * Swagger UI at /docs. Its page needs nothing the policy above refuses: its scripts (the init script included) are
 * files under /docs, its inline <style> blocks fall under style-src 'unsafe-inline', and it fetches only from this
 * origin. Authorize → oauth2 asks for a client id and secret and posts them to the tokenUrl with HTTP Basic
 * (client_secret_basic, Swagger UI's only way for client credentials).
 */
const SWAGGER_UI: swaggerUi.SwaggerUiOptions = {
  customSiteTitle: 'Takedown Exchange API',
  swaggerOptions: {
    // No request for a badge to validator.swagger.io: the page talks to this origin only.
    validatorUrl: null,
    displayRequestDuration: true,
    // The authorization (client secret included) stays in the page, not in localStorage: a reload asks again.
    persistAuthorization: false,
  },
};
