import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIfStale, STAMP } from '../scripts/build-if-stale';

/**
 * npm start's build step in a scratch project whose "build" writes what nest build and build-verifier write, and
 * counts how often it ran; or fails when asked to.
 */
describe('npm start builds only when stale', () => {
  let root: string;
  const file = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  const builds = () => readFileSync(path.join(root, 'builds.txt'), 'utf8').length;
  const BUILD = [
    "const fs = require('fs');",
    "if (fs.existsSync('fail')) process.exit(3);",
    "fs.rmSync('dist', { recursive: true, force: true });",
    "fs.mkdirSync('dist/src', { recursive: true });",
    "fs.writeFileSync('dist/src/main.js', fs.readFileSync('src/main.ts'));",
    "fs.writeFileSync('dist/verify-evidence.cjs', '// verifier');",
    "fs.appendFileSync('builds.txt', 'x');",
  ].join('\n');
  const start = () => buildIfStale({ root, build: ['node', 'build.js'], say: () => undefined });

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'build-if-stale-'));
    file('build.js', BUILD);
    file('builds.txt', '');
    file('src/main.ts', 'one');
    file('src/main.spec.ts', 'spec');
    file('scripts/build-verifier.ts', 'bundle');
    file('package-lock.json', '{}');
    file('tsconfig.json', '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds on the first start, then not again while nothing changed', () => {
    expect(start()).toBe(0);
    expect(start()).toBe(0);
    file('src/main.ts', 'one'); // rewritten, same contents
    expect(start()).toBe(0);
    expect(builds()).toBe(1);
  });

  it.each([
    ['a source file changes', () => file('src/main.ts', 'two')],
    ['a source file is added', () => file('src/other.ts', 'new')],
    ['a migration is added', () => file('migrations/1-Add.ts', 'up')],
    ['what build-verifier bundles changes', () => file('scripts/build-verifier.ts', 'bundle 2')],
    ['the test tooling a script imports changes', () => file('test/support/tooling/ports.ts', 'ports')],
    ['the lock file changes', () => file('package-lock.json', '{"x":1}')],
    ['tsconfig changes', () => file('tsconfig.json', '{"strict":true}')],
    ['dist/ is deleted', () => rmSync(path.join(root, 'dist'), { recursive: true })],
    ['a built file is deleted', () => rmSync(path.join(root, 'dist/verify-evidence.cjs'))],
    ['a built file is altered', () => file('dist/src/main.js', 'half')],
    ['the stamp is unreadable', () => file(STAMP, '{"inputs":')],
  ])('builds again when %s', (_, change) => {
    expect(start()).toBe(0);
    change();
    expect(start()).toBe(0);
    expect(builds()).toBe(2);
    expect(start()).toBe(0);
    expect(builds()).toBe(2);
  });

  it('does not build for a changed unit spec, which the build leaves out', () => {
    start();
    file('src/main.spec.ts', 'another spec');
    start();
    expect(builds()).toBe(1);
  });

  it('passes on a failed build and leaves no stamp, so the next start builds again', () => {
    start();
    file('src/main.ts', 'broken');
    file('fail', '');
    expect(start()).toBe(3);
    rmSync(path.join(root, 'fail'));
    expect(start()).toBe(0);
    expect(builds()).toBe(2);
    expect(readFileSync(path.join(root, 'dist/src/main.js'), 'utf8')).toBe('broken');
  });
});
