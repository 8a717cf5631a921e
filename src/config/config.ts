import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { DEFAULT_THRESHOLDS, MatchThresholds } from '../matching/thresholds';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  port: number;
  host: string;
  /** Unset means: start an embedded PostgreSQL in the data folder. */
  databaseUrl: string | null;
  dataDir: string;
  /**
   * The URL clients reach the API at (no trailing slash), for the absolute URLs of the OAuth metadata; null: they
   * are formed from each request's host. Also the default token issuer.
   */
  publicBaseUrl: string | null;
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
  /** Matching's thresholds (docs/matching.md gives the evaluation behind each default). */
  matching: MatchThresholds;
  /** How often each instance looks for matching jobs it was not told of (other instances', retries); 0: never. */
  matchingPollMs: number;
  /** With requests in flight, how long the matching worker pauses after each 2 ms slice (at most); 0: never. */
  matchingBusyPauseMs: number;
  /** Days after a takedown at which the link is due for a re-check (GET /v1/links?recheckDue=true), ascending. */
  recheckScheduleDays: number[];
  /** How long the notifying ministry has to decide an objection; past it the objection is listed as overdue. */
  objectionReplyMs: number;
  /** Objections a link may receive in all (one open at a time). */
  objectionsPerLink: number;
  operatorClientId: string | null;
  operatorClientSecret: string | null;
  seedDemo: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const BODY_LIMIT = /^\d+(b|kb|mb)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads variables by name, collecting every problem instead of stopping at the first. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly cwd: string,
  ) {}

  str(name: string, fallback: string): string {
    const value = this.env[name];
    if (value === undefined || value === '') return fallback;
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  limit(name: string, fallback: string): string {
    const value = this.str(name, fallback);
    if (!BODY_LIMIT.test(value)) this.problems.push(`${name} must look like 100kb or 64mb (got "${value}")`);
    return value;
  }

  /** A path relative to the working folder. */
  file(name: string, fallback: string): string {
    return path.resolve(this.cwd, this.str(name, fallback));
  }

  /** A comma-separated list, trimmed, without empty entries. */
  list(name: string): string[] {
    return this.str(name, '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
  }

  ed25519Files(name: string): string[] {
    return this.list(name).map((f) => {
      const file = path.resolve(this.cwd, f);
      try {
        if (createPublicKey(readFileSync(file)).asymmetricKeyType !== 'ed25519')
          this.problems.push(`${name}: ${file} is not an Ed25519 key`);
      } catch (error) {
        this.problems.push(`${name}: cannot read a key from ${file} (${(error as Error).message})`);
      }
      return file;
    });
  }

  /** A URL of one of `protocols`, or null when unset. */
  url(name: string, protocols: string[], kind: string): string | null {
    const value = this.env[name] ? this.env[name] : null;
    if (value === null) return null;
    try {
      if (!protocols.includes(new URL(value).protocol)) this.problems.push(`${name} must be a ${kind} URL`);
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return value;
  }
}

function readOperator(r: EnvReader): Pick<AppConfig, 'operatorClientId' | 'operatorClientSecret'> {
  const operatorClientId = r.env.OPERATOR_CLIENT_ID || null;
  const operatorClientSecret = r.env.OPERATOR_CLIENT_SECRET || null;
  if ((operatorClientId === null) !== (operatorClientSecret === null)) {
    r.problems.push('OPERATOR_CLIENT_ID and OPERATOR_CLIENT_SECRET must be set together');
  }
  if (operatorClientId !== null && !UUID.test(operatorClientId))
    r.problems.push('OPERATOR_CLIENT_ID must be a UUID');
  if (operatorClientSecret !== null && operatorClientSecret.length < 24) {
    r.problems.push('OPERATOR_CLIENT_SECRET must be at least 24 characters');
  }
  return { operatorClientId, operatorClientSecret };
}

type TokenSettings = 'publicBaseUrl' | 'tokenIssuer' | 'tokenAudience' | 'tokenTtlSeconds' | 'tokenKeyFile';

/**
 * An origin with an optional path, as RFC 8414 wants an issuer: http(s), no credentials, query or fragment. The
 * trailing slash is dropped, so `${base}/v1/...` is well-formed.
 */
function readPublicBaseUrl(r: EnvReader): string | null {
  const value = r.url('PUBLIC_BASE_URL', ['http:', 'https:'], 'http:// or https://');
  if (value === null) return null;
  try {
    const url = new URL(value);
    if (url.username || url.password || url.search || url.hash || value.includes('?') || value.includes('#'))
      r.problems.push('PUBLIC_BASE_URL must not carry credentials, a query or a fragment');
    return url.href.replace(/\/+$/, '');
  } catch {
    return value; // already reported by url()
  }
}

function readTokens(r: EnvReader, dataDir: string): Pick<AppConfig, TokenSettings> {
  const publicBaseUrl = readPublicBaseUrl(r);
  return {
    publicBaseUrl,
    // The issuer is where RFC 8414 discovery looks for the metadata, so it is the public URL when there is one.
    tokenIssuer: r.str('TOKEN_ISSUER', publicBaseUrl ?? 'https://takedown-exchange.local'),
    tokenAudience: r.str('TOKEN_AUDIENCE', 'takedown-exchange-api'),
    tokenTtlSeconds: r.int('TOKEN_TTL_SECONDS', 900, 60, 900),
    tokenKeyFile: r.file('TOKEN_KEY_FILE', path.join(dataDir, 'keys', 'token-es256.pem')),
  };
}

type AuditSettings =
  | 'auditKeyFile'
  | 'auditOrigin'
  | 'auditRetiredKeyFiles'
  | 'checkpointIntervalSeconds'
  | 'evidenceRetentionDays';

function readAudit(r: EnvReader, dataDir: string): Pick<AppConfig, AuditSettings> {
  return {
    auditKeyFile: r.file('AUDIT_KEY_FILE', path.join(dataDir, 'keys', 'audit-ed25519.pem')),
    auditOrigin: r.str('AUDIT_ORIGIN', 'takedown-exchange.local/audit'),
    auditRetiredKeyFiles: r.ed25519Files('AUDIT_RETIRED_KEY_FILES'),
    checkpointIntervalSeconds: r.int('CHECKPOINT_INTERVAL_SECONDS', 60, 0, 3600),
    evidenceRetentionDays: r.int('EVIDENCE_RETENTION_DAYS', 90, 1, 3650),
  };
}

type IdempotencySettings =
  'idempotencyPepperFile' | 'idempotencyRetentionHours' | 'idempotencyPurgeIntervalSeconds';

function readIdempotency(r: EnvReader, dataDir: string): Pick<AppConfig, IdempotencySettings> {
  return {
    idempotencyPepperFile: r.file(
      'IDEMPOTENCY_PEPPER_FILE',
      path.join(dataDir, 'keys', 'idempotency-pepper'),
    ),
    idempotencyRetentionHours: r.int('IDEMPOTENCY_RETENTION_HOURS', 24, 24, 24 * 366),
    idempotencyPurgeIntervalSeconds: r.int('IDEMPOTENCY_PURGE_INTERVAL_SECONDS', 3600, 0, 86_400),
  };
}

type RequestSettings = 'heavyWorkConcurrency' | 'heavyWorkQueue' | 'jsonBodyLimit' | 'csvBodyLimit';

function readRequests(r: EnvReader): Pick<AppConfig, RequestSettings> {
  return {
    heavyWorkConcurrency: r.int('HEAVY_WORK_CONCURRENCY', 2, 1, 64),
    heavyWorkQueue: r.int('HEAVY_WORK_QUEUE', 8, 0, 1000),
    jsonBodyLimit: r.limit('JSON_BODY_LIMIT', '32mb'),
    csvBodyLimit: r.limit('CSV_BODY_LIMIT', '16mb'),
  };
}

type RateLimitSettings =
  | 'rateLimitPerMinute'
  | 'tokenRateLimitPerMinute'
  | 'addressRateLimitPerMinute'
  | 'unauthenticatedRateLimitPerMinute'
  | 'unauthenticatedBodyLimit'
  | 'trustProxy'
  | 'redisUrl'
  | 'rateLimitSyncMs';

/** The address limit is read last (readAddressRateLimit): its bounds depend on the per-client limit. */
function readRateLimits(r: EnvReader): Pick<AppConfig, RateLimitSettings> {
  return {
    rateLimitPerMinute: r.int('RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
    tokenRateLimitPerMinute: r.int('TOKEN_RATE_LIMIT_PER_MINUTE', 30, 1, 1_000_000),
    addressRateLimitPerMinute: 0,
    unauthenticatedRateLimitPerMinute: r.int('UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE', 300, 1, 10_000_000),
    unauthenticatedBodyLimit: r.limit('UNAUTHENTICATED_BODY_LIMIT', '64kb'),
    trustProxy: readTrustProxy(r),
    redisUrl: r.url('REDIS_URL', ['redis:'], 'redis://'),
    rateLimitSyncMs: r.int('RATE_LIMIT_SYNC_MS', 500, 10, 60_000),
  };
}

function readMatching(r: EnvReader): MatchThresholds {
  return {
    phashDistance: r.int('MATCH_PHASH_MAX_DISTANCE', DEFAULT_THRESHOLDS.phashDistance, 0, 32),
    pdqDistance: r.int('MATCH_PDQ_MAX_DISTANCE', DEFAULT_THRESHOLDS.pdqDistance, 0, 128),
    titleSimilarityPercent: r.int(
      'MATCH_TITLE_MIN_SIMILARITY_PERCENT',
      DEFAULT_THRESHOLDS.titleSimilarityPercent,
      1,
      100,
    ),
  };
}

/** Whole days, ascending, each 1–3650: "1,7,30" by default. */
function readRecheckSchedule(r: EnvReader): number[] {
  const entries = r.list('RECHECK_SCHEDULE_DAYS');
  const days = (entries.length > 0 ? entries : ['1', '7', '30']).map(Number);
  const valid =
    days.length <= 20 &&
    days.every((d, i) => Number.isInteger(d) && d >= 1 && d <= 3650 && (i === 0 || d > days[i - 1]));
  if (!valid)
    r.problems.push(
      'RECHECK_SCHEDULE_DAYS must be up to 20 whole numbers of days from 1 to 3650, ascending (e.g. "1,7,30")',
    );
  return days;
}

/** Many clients may share an address (a proxy, a NAT): by default it gets four clients' budgets. */
function readAddressRateLimit(r: EnvReader, rateLimitPerMinute: number): number {
  return r.int(
    'ADDRESS_RATE_LIMIT_PER_MINUTE',
    Math.min(4 * rateLimitPerMinute, 40_000_000),
    rateLimitPerMinute,
    40_000_000,
  );
}

function readTrustProxy(r: EnvReader): string[] {
  const entries = r.list('TRUST_PROXY');
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named && (family === 0 || !bitsOk || extra !== undefined)) {
      r.problems.push(
        `TRUST_PROXY must list addresses, CIDRs, loopback, linklocal or uniquelocal (got "${entry}")`,
      );
    }
  }
  return entries;
}

/** Reads the environment once at boot; every problem is reported by the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const r = new EnvReader(env, cwd);
  const databaseUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://');
  const dataDir = path.resolve(cwd, r.str('DATA_DIR', '.data'));
  const logLevel = r.str('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) r.problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const operator = readOperator(r);
  const config: AppConfig = {
    port: r.int('PORT', 3000, 0, 65535),
    host: r.str('HOST', '127.0.0.1'),
    databaseUrl,
    dataDir,
    ...readTokens(r, dataDir),
    ...readAudit(r, dataDir),
    ...readIdempotency(r, dataDir),
    ...readRequests(r),
    logLevel,
    ...readRateLimits(r),
    matching: readMatching(r),
    matchingPollMs: r.int('MATCHING_POLL_MS', 1000, 0, 3_600_000),
    matchingBusyPauseMs: r.int('MATCHING_BUSY_PAUSE_MS', 8, 0, 1000),
    recheckScheduleDays: readRecheckSchedule(r),
    // 72 hours by default; milliseconds so tests can run a deadline out.
    objectionReplyMs: r.int('OBJECTION_REPLY_MS', 72 * 3_600_000, 1, 366 * 86_400_000),
    objectionsPerLink: r.int('OBJECTIONS_PER_LINK', 3, 1, 100),
    ...operator,
    seedDemo: r.bool('SEED_DEMO', databaseUrl === null),
  };
  config.addressRateLimitPerMinute = readAddressRateLimit(r, config.rateLimitPerMinute);
  if (r.problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${r.problems.join('\n  - ')}`);
  }
  return config;
}
