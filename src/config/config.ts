import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  port: number;
  host: string;
  /** Unset means: start an embedded PostgreSQL in the data folder. */
  databaseUrl: string | null;
  dataDir: string;
  tokenIssuer: string;
  tokenAudience: string;
  tokenTtlSeconds: number;
  /** PEM file of the ES256 private key that signs access tokens; generated into dataDir when unset. */
  tokenKeyFile: string;
  /** PEM file of the Ed25519 private key that signs audit checkpoints and evidence packages. */
  auditKeyFile: string;
  auditOrigin: string;
  /** Public keys that signed checkpoints and packages before a rotation; published beside the current one. */
  auditRetiredKeyFiles: string[];
  /** Sign a checkpoint this often while the log grows; 0 turns the timer off (checkpoints are then on demand). */
  checkpointIntervalSeconds: number;
  /** Days an evidence request can be answered and exported; after that it is expired (410). */
  evidenceRetentionDays: number;
  /** Secret file keying the look-up hashes and encryption of stored Idempotency-Key responses; generated when missing. */
  idempotencyPepperFile: string;
  /** Hours a stored Idempotency-Key response is kept (at least 24), then purged. */
  idempotencyRetentionHours: number;
  /** How often the purge of expired Idempotency-Key responses runs; 0 turns the timer off. */
  idempotencyPurgeIntervalSeconds: number;
  /** Expensive work (evidence exports, full log verification) running at once, and waiting beyond that; then 503. */
  heavyWorkConcurrency: number;
  heavyWorkQueue: number;
  jsonBodyLimit: string;
  csvBodyLimit: string;
  logLevel: LogLevel;
  rateLimitPerMinute: number;
  tokenRateLimitPerMinute: number;
  /** Every request from one address, counted before its body is read or its token checked. */
  addressRateLimitPerMinute: number;
  /** Requests from one address without a valid-looking token, and failed authentications. */
  unauthenticatedRateLimitPerMinute: number;
  /** Largest body (after inflation) of a request without a valid-looking bearer token. */
  unauthenticatedBodyLimit: string;
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, loopback/linklocal/uniquelocal); empty: none. */
  trustProxy: string[];
  /** Redis for the shared rate-limit counters; unset: the counters are kept in PostgreSQL. */
  redisUrl: string | null;
  /** How often each instance adds its local rate-limit counts to the shared counters. */
  rateLimitSyncMs: number;
  operatorClientId: string | null;
  operatorClientSecret: string | null;
  seedDemo: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const BODY_LIMIT = /^\d+(b|kb|mb)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the environment once at boot; every problem is reported by the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const str = (name: string, fallback: string): string => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    return value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const limit = (name: string, fallback: string): string => {
    const value = str(name, fallback);
    if (!BODY_LIMIT.test(value)) problems.push(`${name} must look like 100kb or 64mb (got "${value}")`);
    return value;
  };

  const ed25519Files = (name: string): string[] =>
    str(name, '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean)
      .map((f) => {
        const file = path.resolve(cwd, f);
        try {
          if (createPublicKey(readFileSync(file)).asymmetricKeyType !== 'ed25519')
            problems.push(`${name}: ${file} is not an Ed25519 key`);
        } catch (error) {
          problems.push(`${name}: cannot read a key from ${file} (${(error as Error).message})`);
        }
        return file;
      });

  const trustProxy = (): string[] => {
    const entries = str('TRUST_PROXY', '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address);
      const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
      const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
      if (!named && (family === 0 || !bitsOk || extra !== undefined)) {
        problems.push(
          `TRUST_PROXY must list addresses, CIDRs, loopback, linklocal or uniquelocal (got "${entry}")`,
        );
      }
    }
    return entries;
  };
  const redisUrl = (): string | null => {
    const value = env.REDIS_URL ? env.REDIS_URL : null;
    if (value === null) return null;
    try {
      const url = new URL(value);
      if (url.protocol !== 'redis:') problems.push('REDIS_URL must be a redis:// URL');
    } catch {
      problems.push('REDIS_URL is not a valid URL');
    }
    return value;
  };

  const databaseUrl = env.DATABASE_URL ? env.DATABASE_URL : null;
  if (databaseUrl !== null) {
    try {
      const url = new URL(databaseUrl);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        problems.push('DATABASE_URL must be a postgres:// URL');
      }
    } catch {
      problems.push('DATABASE_URL is not a valid URL');
    }
  }
  const dataDir = path.resolve(cwd, str('DATA_DIR', '.data'));
  const logLevel = str('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const operatorClientId = env.OPERATOR_CLIENT_ID || null;
  const operatorClientSecret = env.OPERATOR_CLIENT_SECRET || null;
  if ((operatorClientId === null) !== (operatorClientSecret === null)) {
    problems.push('OPERATOR_CLIENT_ID and OPERATOR_CLIENT_SECRET must be set together');
  }
  if (operatorClientId !== null && !UUID.test(operatorClientId))
    problems.push('OPERATOR_CLIENT_ID must be a UUID');
  if (operatorClientSecret !== null && operatorClientSecret.length < 24) {
    problems.push('OPERATOR_CLIENT_SECRET must be at least 24 characters');
  }

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: str('HOST', '127.0.0.1'),
    databaseUrl,
    dataDir,
    tokenIssuer: str('TOKEN_ISSUER', 'https://takedown-exchange.local'),
    tokenAudience: str('TOKEN_AUDIENCE', 'takedown-exchange-api'),
    tokenTtlSeconds: int('TOKEN_TTL_SECONDS', 900, 60, 900),
    tokenKeyFile: path.resolve(cwd, str('TOKEN_KEY_FILE', path.join(dataDir, 'keys', 'token-es256.pem'))),
    auditKeyFile: path.resolve(cwd, str('AUDIT_KEY_FILE', path.join(dataDir, 'keys', 'audit-ed25519.pem'))),
    auditOrigin: str('AUDIT_ORIGIN', 'takedown-exchange.local/audit'),
    auditRetiredKeyFiles: ed25519Files('AUDIT_RETIRED_KEY_FILES'),
    checkpointIntervalSeconds: int('CHECKPOINT_INTERVAL_SECONDS', 60, 0, 3600),
    evidenceRetentionDays: int('EVIDENCE_RETENTION_DAYS', 90, 1, 3650),
    idempotencyPepperFile: path.resolve(
      cwd,
      str('IDEMPOTENCY_PEPPER_FILE', path.join(dataDir, 'keys', 'idempotency-pepper')),
    ),
    idempotencyRetentionHours: int('IDEMPOTENCY_RETENTION_HOURS', 24, 24, 24 * 366),
    idempotencyPurgeIntervalSeconds: int('IDEMPOTENCY_PURGE_INTERVAL_SECONDS', 3600, 0, 86_400),
    heavyWorkConcurrency: int('HEAVY_WORK_CONCURRENCY', 2, 1, 64),
    heavyWorkQueue: int('HEAVY_WORK_QUEUE', 8, 0, 1000),
    jsonBodyLimit: limit('JSON_BODY_LIMIT', '32mb'),
    csvBodyLimit: limit('CSV_BODY_LIMIT', '16mb'),
    logLevel,
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
    tokenRateLimitPerMinute: int('TOKEN_RATE_LIMIT_PER_MINUTE', 30, 1, 1_000_000),
    addressRateLimitPerMinute: 0,
    unauthenticatedRateLimitPerMinute: int('UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE', 300, 1, 10_000_000),
    unauthenticatedBodyLimit: limit('UNAUTHENTICATED_BODY_LIMIT', '64kb'),
    trustProxy: trustProxy(),
    redisUrl: redisUrl(),
    rateLimitSyncMs: int('RATE_LIMIT_SYNC_MS', 500, 10, 60_000),
    operatorClientId,
    operatorClientSecret,
    seedDemo: bool('SEED_DEMO', databaseUrl === null),
  };
  // Many clients may share an address (a proxy, a NAT): by default it gets four clients' budgets.
  config.addressRateLimitPerMinute = int(
    'ADDRESS_RATE_LIMIT_PER_MINUTE',
    Math.min(4 * config.rateLimitPerMinute, 40_000_000),
    config.rateLimitPerMinute,
    40_000_000,
  );
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}
