import 'reflect-metadata';
import { createApp } from './app.factory';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig } from './config/config';
import { EmbeddedDatabase, EmbeddedPostgresError, startEmbeddedPostgres } from './database/embedded-postgres';
import { migrate } from './database/migrate';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (databaseUrl === null) {
    const dataDir = config.dataDir;
    try {
      embedded = await startEmbeddedPostgres(dataDir, (m) => logger.debug({ postgres: m }), {
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
      // Like a bad setting: one line saying what is wrong and what to do, no stack. 69 is EX_UNAVAILABLE.
      if (error instanceof EmbeddedPostgresError) {
        process.stderr.write(`${error.message}\n`);
        process.exit(69);
      }
      throw error;
    }
    databaseUrl = embedded.url;
  }
  let app;
  try {
    const applied = await migrate(databaseUrl);
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
    app = await createApp(config, databaseUrl, logger);
    await app.get(BootstrapService).ensureOperator();
    await app.get(BootstrapService).seedDemo();
    await app.listen(config.port, config.host);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  logger.info(
    { url: await app.getUrl(), docs: `${await app.getUrl()}/docs` },
    'Takedown Exchange is listening',
  );

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

main().catch((error: unknown) => {
  process.stderr.write(
    `Takedown Exchange failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
