import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { createApp } from './app.factory';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { createLogger } from './common/logger';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { EmbeddedDatabase, EmbeddedPostgresError, startEmbeddedPostgres } from './database/embedded-postgres';
import { migrate } from './database/migrate';
import { FingerprintIndexService } from './matching/fingerprint-index.service';

/** A bad setting or an unavailable database: one line saying what is wrong and what to do, no stack. */
function exitOn<T>(kind: new (...args: never[]) => Error, code: number, error: unknown): T {
  if (error instanceof kind) {
    process.stderr.write(`${error.message}\n`);
    process.exit(code);
  }
  throw error;
}

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    return exitOn(ConfigError, 78, error); // EX_CONFIG
  }
}

/** Without DATABASE_URL, PostgreSQL runs embedded in the data folder. */
async function startDatabase(config: AppConfig, logger: Logger): Promise<EmbeddedDatabase> {
  const dataDir = config.dataDir;
  try {
    return await startEmbeddedPostgres(dataDir, (m) => logger.debug({ postgres: m }), {
      onPlacement: (p) =>
        logger.info(
          {
            dataDir,
            cluster: p.clusterDir,
            binaries: p.binDir,
            ...(p.reason ? { relocated: p.reason } : {}),
          },
          `DATABASE_URL is not set: starting the embedded PostgreSQL in ${p.clusterDir}`,
        ),
    });
  } catch (error) {
    return exitOn(EmbeddedPostgresError, 69, error); // EX_UNAVAILABLE
  }
}

async function serve(config: AppConfig, databaseUrl: string, logger: Logger): Promise<INestApplication> {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
  const app = await createApp(config, databaseUrl, logger);
  await app.get(BootstrapService).ensureOperator();
  await app.get(BootstrapService).seedDemo();
  await app.listen(config.port, config.host);
  warmFingerprintIndex(app, logger);
  return app;
}

/** The fingerprint index is built on first use; at start, so the first screening does not wait for it. */
function warmFingerprintIndex(app: INestApplication, logger: Logger): void {
  const started = Date.now();
  const index = app.get(FingerprintIndexService);
  index.warm().then(
    () => logger.info({ fingerprints: index.size, ms: Date.now() - started }, 'fingerprint index built'),
    (error: unknown) =>
      logger.warn({ err: error }, 'fingerprint index not built at start; it is built on first use'),
  );
}

function stopOnSignals(app: INestApplication, embedded: EmbeddedDatabase | null, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const embedded = config.databaseUrl === null ? await startDatabase(config, logger) : null;
  let app: INestApplication;
  try {
    app = await serve(config, config.databaseUrl ?? embedded!.url, logger);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const url = await app.getUrl();
  logger.info({ url, docs: `${url}/docs` }, 'Takedown Exchange is listening');
  stopOnSignals(app, embedded, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Takedown Exchange failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
