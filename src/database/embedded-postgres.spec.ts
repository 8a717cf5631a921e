import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgresError, errorDetail, runInitdb, spawnFailure } from './embedded-postgres';

describe('the embedded PostgreSQL failing to start', () => {
  it('says in one line which program the postgres user could not run, and what to do', () => {
    const error = Object.assign(new Error('spawn /root/app/native/bin/initdb EACCES'), { code: 'EACCES' });
    const failure = spawnFailure('initdb', '/root/app/native/bin/initdb', 'postgres', error);
    expect(failure).toBeInstanceOf(EmbeddedPostgresError);
    expect(failure.message).toBe(
      'embedded PostgreSQL could not start: initdb is not executable by user postgres (EACCES): ' +
        '/root/app/native/bin/initdb; move the project to a folder user postgres can enter, ' +
        'or set DATABASE_URL to use your own PostgreSQL instead',
    );
  });

  it('names a missing program and npm ci', () => {
    const error = Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' });
    expect(spawnFailure('postgres', '/x/bin/postgres', null, error).message).toBe(
      'embedded PostgreSQL could not start: postgres was not found (ENOENT): /x/bin/postgres; ' +
        'run npm ci, or set DATABASE_URL to use your own PostgreSQL instead',
    );
  });

  it('turns a real spawn failure into the error, not an unhandled error event', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'takedown-spawn-'));
    const initdb = path.join(dir, 'initdb');
    writeFileSync(initdb, '#!/bin/sh\n', { mode: 0o644 }); // no execute bit: EACCES even for root
    try {
      const run = runInitdb(initdb, [], { ids: null, locale: 'C', cwd: dir, log: () => undefined });
      await expect(run).rejects.toThrow(EmbeddedPostgresError);
      await expect(run).rejects.toThrow(`initdb is not executable by this user (EACCES): ${initdb};`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps initdb failing to one line with its error and hint', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'takedown-spawn-'));
    const initdb = path.join(dir, 'initdb');
    writeFileSync(
      initdb,
      '#!/bin/sh\necho "The files belonging to this database system will be owned by user postgres." >&2\n' +
        'echo "initdb: error: directory \\"/d\\" exists but is not empty" >&2\n' +
        'echo "initdb: hint: Remove or empty it." >&2\nexit 1\n',
      { mode: 0o755 },
    );
    try {
      const failure = await runInitdb(initdb, [], {
        ids: null,
        locale: 'C',
        cwd: dir,
        log: () => undefined,
      }).then(
        () => null,
        (e: Error) => e,
      );
      expect(failure?.message).toBe(
        'embedded PostgreSQL could not start: initdb failed (exit code 1): initdb: error: directory "/d" exists ' +
          'but is not empty initdb: hint: Remove or empty it.; set DATABASE_URL to use your own PostgreSQL instead',
      );
      expect(failure?.message).not.toContain('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("picks PostgreSQL's FATAL line out of its log", () => {
    expect(
      errorDetail(
        '2026-12-01 LOG:  starting PostgreSQL 18\n2026-12-01 FATAL:  data directory "/d" has wrong ownership\n' +
          '2026-12-01 HINT:  The server must be started by the user that owns the data directory.\n',
      ),
    ).toBe(
      '2026-12-01 FATAL: data directory "/d" has wrong ownership ' +
        '2026-12-01 HINT: The server must be started by the user that owns the data directory.',
    );
  });
});
