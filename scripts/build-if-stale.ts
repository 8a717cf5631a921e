/**
 * npm start's first step: runs `npm run build` only when what the build reads changed since the last successful
 * build, or when what it wrote is missing or altered. The stamp (dist/.build-stamp.json) holds the SHA-256 of every
 * input and of every file in dist/ after that build; contents are compared, not times, so a checkout that touches
 * files without changing them does not rebuild. `npm run build` always builds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * What `npm run build` reads: nest build compiles tsconfig.build.json's include (src, migrations, scripts, without
 * the unit specs) and what they import from outside it (scripts/db-server.ts the test tooling), build-verifier.ts
 * bundles src/cli; then the compiler options, the build script and the dependencies.
 */
export const INPUT_DIRS = ['src', 'migrations', 'scripts', 'test/support/tooling'];
export const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];
const NOT_BUILT = /\.spec\.ts$/;
export const STAMP = 'dist/.build-stamp.json';
/** What npm start runs and what the API serves: a stamp whose outputs lack them is not a build. */
export const REQUIRED_OUTPUTS = ['dist/src/main.js', 'dist/verify-evidence.cjs'];

/** Relative path (with /) → SHA-256 of its contents. */
export type Digests = Record<string, string>;

export interface Stamp {
  builtAt: string;
  inputs: Digests;
  outputs: Digests;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function walk(root: string, dir: string, into: Digests, skip: (rel: string) => boolean): void {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (skip(rel)) continue;
    if (entry.isDirectory()) walk(root, rel, into, skip);
    else if (entry.isFile()) into[rel] = sha256(path.join(root, rel));
  }
}

export function inputDigests(root: string): Digests {
  const out: Digests = {};
  for (const dir of INPUT_DIRS) walk(root, dir, out, (rel) => NOT_BUILT.test(rel));
  for (const file of INPUT_FILES)
    if (existsSync(path.join(root, file))) out[file] = sha256(path.join(root, file));
  return out;
}

export function outputDigests(root: string): Digests {
  const out: Digests = {};
  walk(root, 'dist', out, (rel) => rel === STAMP);
  return out;
}

const listed = (paths: string[]) =>
  `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;

/** Why the last build no longer holds, or null when it does. */
export function staleReason(stamp: Stamp | null, inputs: Digests, outputs: Digests): string | null {
  if (stamp === null) return 'no finished build in dist/';
  const changed = [...new Set([...Object.keys(stamp.inputs), ...Object.keys(inputs)])]
    .filter((p) => stamp.inputs[p] !== inputs[p])
    .sort();
  if (changed.length > 0) return `changed since the last build: ${listed(changed)}`;
  const required = REQUIRED_OUTPUTS.filter((p) => !(p in stamp.outputs));
  const altered = Object.keys(stamp.outputs)
    .filter((p) => stamp.outputs[p] !== outputs[p])
    .sort();
  const broken = [...required, ...altered];
  if (broken.length > 0) return `dist/ is incomplete or altered: ${listed(broken)}`;
  return null;
}

function readStamp(root: string): Stamp | null {
  try {
    const stamp = JSON.parse(readFileSync(path.join(root, STAMP), 'utf8')) as Stamp;
    return typeof stamp.inputs === 'object' && typeof stamp.outputs === 'object' ? stamp : null;
  } catch {
    return null;
  }
}

export interface BuildIfStaleOptions {
  root: string;
  /** The build command; `npm run build` unless a test says otherwise. */
  build?: [string, ...string[]];
  say?: (line: string) => void;
}

/** Builds when stale; returns the build's exit status (0 when nothing had to be built). */
export function buildIfStale({
  root,
  build = ['npm', 'run', 'build'],
  say = console.log,
}: BuildIfStaleOptions): number {
  const inputs = inputDigests(root);
  const stamp = readStamp(root);
  const reason = staleReason(stamp, inputs, outputDigests(root));
  if (reason === null) {
    say(`build: up to date (built ${stamp?.builtAt}; npm run build forces one)`);
    return 0;
  }
  say(`build: ${reason}; building`);
  rmSync(path.join(root, STAMP), { force: true });
  const [command, ...args] = build;
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) {
    say(`build: could not run ${build.join(' ')}: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) return result.status ?? 1;
  // The inputs as they were before the build: a file edited during it leaves the stamp stale, so the next start builds.
  const done: Stamp = { builtAt: new Date().toISOString(), inputs, outputs: outputDigests(root) };
  writeFileSync(path.join(root, STAMP), JSON.stringify(done));
  return 0;
}

if (require.main === module) process.exit(buildIfStale({ root: process.cwd() }));
