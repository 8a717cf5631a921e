/**
 * npm run openapi [-- --check]: writes openapi/openapi.json from the controllers and DTOs, or with --check fails
 * when the committed file differs. No database is needed: the module graph is built in preview mode.
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { OPENAPI_FILE, openApiDocument } from '../src/openapi/document';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview' });
  const app = await NestFactory.create(AppModule.forRoot(config, config.databaseUrl as string), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const document = openApiDocument(app);
  const text = JSON.stringify(document, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    const committed = existsSync(OPENAPI_FILE) ? readFileSync(OPENAPI_FILE, 'utf8') : '';
    if (committed !== text) {
      console.error('openapi/openapi.json is out of date: run npm run openapi and commit the result');
      process.exit(1);
    }
    console.log('openapi/openapi.json matches the code');
  } else {
    writeFileSync(OPENAPI_FILE, text);
    console.log(`wrote ${OPENAPI_FILE}`);
  }
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
