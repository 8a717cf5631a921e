import * as path from 'node:path';
import { DataSourceOptions } from 'typeorm';

/** Entities and migrations are found by glob so the CLI scripts, the app and the tests share one definition. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const root = path.resolve(__dirname, '..', '..');
  const ext = __filename.endsWith('.ts') ? 'ts' : 'js';
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    entities: [path.join(root, 'src', '**', `*.entity.${ext}`)],
    migrations: [path.join(root, 'migrations', `*.${ext}`)],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    logging: false,
    extra: { max: 20, connectionTimeoutMillis: 5000 },
    ...extra,
  } as DataSourceOptions;
}
