/** Running initdb and postgres as child processes, and the one-line errors their failures become. */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import type { UserIds } from './embedded-postgres-placement';

/** The embedded server could not be started. The message is one line naming the cause and what to do about it. */
export class EmbeddedPostgresError extends Error {}

export const USE_YOUR_OWN = 'set DATABASE_URL to use your own PostgreSQL instead';

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

/** initdb's messages are read in English (embedded-postgres's choice, kept so existing clusters match). */
export function bestLocale(): string {
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
export async function runPostgres(
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
