/**
 * npm run migration:generate -- <Name> | migration:check | migration:run | migration:revert
 * generate and check compare the entities with a scratch database built from the migrations alone.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { adminQuery, databaseServer, withDatabase } from './db-server';

async function schemaDiff(serverUrl: string): Promise<{ up: string[]; down: string[] }> {
  const scratch = `drift_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${scratch}`);
  const dataSource = new DataSource(dataSourceOptions(withDatabase(serverUrl, scratch)));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${scratch}`);
  }
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const lines = (qs: string[]) =>
    qs.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const server = await databaseServer();
  try {
    if (command === 'generate' || command === 'check') {
      const diff = await schemaDiff(server.url);
      if (command === 'check') {
        if (diff.up.length === 0) {
          console.log('migrations match the entities');
          return;
        }
        console.error(
          `entities and migrations disagree; missing from the migrations:\n${diff.up.join(';\n')};`,
        );
        process.exitCode = 1;
        return;
      }
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
        throw new Error('usage: npm run migration:generate -- PascalCaseName');
      if (diff.up.length === 0) {
        console.log('no changes: the migrations already match the entities');
        return;
      }
      const timestamp = Date.now();
      const file = path.resolve(__dirname, '..', 'migrations', `${timestamp}-${name}.ts`);
      writeFileSync(file, migrationSource(`${name}${timestamp}`, diff.up, diff.down));
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    } else if (command === 'run' || command === 'revert') {
      const dataSource = new DataSource(dataSourceOptions(server.url));
      await dataSource.initialize();
      try {
        if (command === 'run') {
          const applied = await dataSource.runMigrations({ transaction: 'each' });
          console.log(
            applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'nothing to apply',
          );
        } else {
          await dataSource.undoLastMigration({ transaction: 'each' });
          console.log('reverted the last migration');
        }
      } finally {
        await dataSource.destroy();
      }
    } else {
      throw new Error('usage: migration.ts generate <Name> | check | run | revert');
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
