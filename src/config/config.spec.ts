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
  ])('refuses %j, naming %s', (env, name) => {
    expect(() => loadConfig(env, '/srv/app')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/srv/app')).toThrow(name);
  });

  it('does not seed demo data into a database it was pointed at', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).seedDemo).toBe(false);
  });
});
