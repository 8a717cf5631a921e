import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type request from 'supertest';
import { projectRoot } from '../src/config/project-root';
import { README } from '../src/evidence-requests/package-readme';
import { createTestApp, TestApp } from './support/app';
import { zipOf } from './support/zip-writer';

const binary: Parameters<request.Test['parse']>[0] = (res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the standalone evidence verifier', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'verifier-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  /** Runs a command in the download folder, as someone with only Node would: no NODE_PATH, nothing installed. */
  function inFolder(command: string, args: string[]) {
    const env = { ...process.env };
    delete env.NODE_PATH;
    return spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', timeout: 30000 });
  }

  it('is served without a token, with a checksum sha256sum -c accepts, and runs with only Node', async () => {
    const script = await t.http.get('/verify-evidence.cjs').buffer(true).parse(binary).expect(200);
    expect(script.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(script.headers['content-disposition']).toBe('attachment; filename="verify-evidence.cjs"');
    const bytes = script.body as Buffer;
    expect(bytes.subarray(0, 20).toString()).toBe('#!/usr/bin/env node\n');
    const required = [...bytes.toString().matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.filter((name) => !isBuiltin(name))).toEqual([]);

    const checksum = await t.http.get('/verify-evidence.cjs.sha256').expect(200);
    expect(checksum.headers['content-type']).toBe('text/plain; charset=utf-8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(checksum.text).toBe(`${sha256}  verify-evidence.cjs\n`);

    // A folder outside the repository, with no node_modules above it: only Node's standard library can be found.
    expect(path.relative(projectRoot(), dir).startsWith('..')).toBe(true);
    for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
      expect(existsSync(path.join(d, 'node_modules'))).toBe(false);
    }
    writeFileSync(path.join(dir, 'verify-evidence.cjs'), bytes);
    writeFileSync(path.join(dir, 'verify-evidence.cjs.sha256'), checksum.text);
    writeFileSync(path.join(dir, 'not-a-package.zip'), zipOf([{ name: 'hello.txt', data: 'hello' }]));

    const check = inFolder('sha256sum', ['-c', 'verify-evidence.cjs.sha256']);
    expect({ status: check.status, out: check.stdout }).toEqual({
      status: 0,
      out: 'verify-evidence.cjs: OK\n',
    });
    // The README's command for a laptop with only Node prints the same hash.
    const oneLiner = /node -e "([^"]+)"/.exec(README)?.[1];
    expect(oneLiner).toBeDefined();
    expect(inFolder(process.execPath, ['-e', oneLiner!]).stdout.trim()).toBe(sha256);

    const help = inFolder(process.execPath, ['verify-evidence.cjs', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: node verify-evidence.cjs <evidence.zip> [--key <key file>]');

    const refused = inFolder(process.execPath, ['verify-evidence.cjs', 'not-a-package.zip']);
    expect({ status: refused.status, stderr: refused.stderr }).toEqual({ status: 1, stderr: '' });
    expect(refused.stdout).toContain('✘ "manifest.json": missing from the ZIP');
    expect(refused.stdout.trimEnd().split('\n').pop()).toBe('package REFUSED');

    const usage = inFolder(process.execPath, ['verify-evidence.cjs']);
    expect(usage.status).toBe(2);
    expect(usage.stderr.split('\n')[0]).toBe('verify-evidence: no package given');
  });

  it('serves the same bytes to every caller', async () => {
    const a = await t.http.get('/verify-evidence.cjs').buffer(true).parse(binary).expect(200);
    const b = await t.http.get('/verify-evidence.cjs').buffer(true).parse(binary).expect(200);
    expect((a.body as Buffer).equals(b.body as Buffer)).toBe(true);
  });
});
