import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toEqual(
      expect.objectContaining({
        port: 3000,
        databaseUrl: null,
        dataDir: '/srv/app/.data',
        seedDemo: true,
        tokenTtlSeconds: 900,
      }),
    );
    expect(config.tokenKeyFile).toBe('/srv/app/.data/keys/token-es256.pem');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TOKEN_TTL_SECONDS: '3600' }, 'TOKEN_TTL_SECONDS'],
    [{ JSON_BODY_LIMIT: 'lots' }, 'JSON_BODY_LIMIT'],
    [{ OPERATOR_CLIENT_ID: '6f9619ff-8b86-4011-b42d-00cf4fc964ff' }, 'OPERATOR_CLIENT_SECRET'],
    [{ OPERATOR_CLIENT_ID: 'x', OPERATOR_CLIENT_SECRET: 'y'.repeat(30) }, 'OPERATOR_CLIENT_ID'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    [{ AUDIT_RETIRED_KEY_FILES: '/nonexistent/old-audit.pem' }, 'AUDIT_RETIRED_KEY_FILES'],
    [{ AUDIT_RETIRED_KEY_FILES: __filename }, 'AUDIT_RETIRED_KEY_FILES'],
  ])('refuses %j, naming %s', (env, name) => {
    expect(() => loadConfig(env, '/srv/app')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/srv/app')).toThrow(name);
  });

  it('takes retired audit keys as a comma-separated list of Ed25519 key files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'config-keys-'));
    const files = [0, 1].map((i) => {
      const file = path.join(dir, `old-${i}.pem`);
      const { publicKey } = generateKeyPairSync('ed25519');
      writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
      return file;
    });
    expect(loadConfig({ AUDIT_RETIRED_KEY_FILES: files.join(', ') }, dir).auditRetiredKeyFiles).toEqual(
      files,
    );
    const ec = path.join(dir, 'ec.pem');
    writeFileSync(
      ec,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(() => loadConfig({ AUDIT_RETIRED_KEY_FILES: ec }, dir)).toThrow('AUDIT_RETIRED_KEY_FILES');
  });

  it('does not seed demo data into a database it was pointed at', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).seedDemo).toBe(false);
  });

  it('reads the re-check schedule as whole days, ascending, and names it when it is not', () => {
    expect(loadConfig({}).recheckScheduleDays).toEqual([1, 7, 30]);
    expect(loadConfig({ RECHECK_SCHEDULE_DAYS: ' 2, 14 ,60' }).recheckScheduleDays).toEqual([2, 14, 60]);
    for (const bad of ['7,1', '1,1', '0', '1.5', 'soon', '1,4000'])
      expect(() => loadConfig({ RECHECK_SCHEDULE_DAYS: bad })).toThrow(/RECHECK_SCHEDULE_DAYS/);
  });
});
