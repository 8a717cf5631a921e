import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../src/app.factory';
import { createLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { migrate } from '../src/database/migrate';
import { withScratchDatabase } from '../test/support/tooling';

/** The application, not listening, on a migrated scratch database with no checkpoint timer: for in-process benches. */
export async function withScratchApp(
  prefix: string,
  work: (app: INestApplication) => Promise<void>,
): Promise<void> {
  await withScratchDatabase(prefix, async ({ url, tmp }) => {
    await migrate(url);
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      DATA_DIR: path.join(tmp, 'data'),
      CHECKPOINT_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'silent',
    });
    const app = await createApp(config, url, createLogger('silent'));
    try {
      await work(app);
    } finally {
      await app.close();
    }
  });
}
