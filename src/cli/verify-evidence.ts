#!/usr/bin/env node
/** verify-evidence <package.zip> [--key <file>] — offline, no database, no network; bundled as dist/verify-evidence.cjs. */
import { createPublicKey, JsonWebKeyInput } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyEvidencePackage } from './evidence-verifier';
import { checkPackageLayout } from './package-layout';
import { readZipEntries, readZipFile } from './zip-reader';

export const USAGE = `usage: node verify-evidence.cjs <evidence.zip> [--key <key file>]
       (from a checkout of the exchange: npm run verify-evidence -- <evidence.zip> [--key <key file>])

Checks a Takedown Exchange evidence package offline: the layout of the ZIP, the Ed25519 signature of
manifest.json, every file's size and SHA-256, the signed audit checkpoint, and every audit event's
inclusion proof. No network and no database are used.

  --key <file>  the exchange's public key: the JSON of GET /v1/audit/keys, one JWK, or a PEM public key.
                Without it the key shipped inside the package is used, which proves the package is intact
                but not who signed it.
  -h, --help    print this help

Exit status: 0 verified, 1 refused, 2 usage error (unknown option, unreadable package or key file).
`;

type Args = { help: true } | { file: string; keyFile?: string } | { error: string };

export function parseArgs(args: string[]): Args {
  const positional: string[] = [];
  let keyFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--key' || arg.startsWith('--key=')) {
      const value = arg === '--key' ? args[++i] : arg.slice('--key='.length);
      if (!value) return { error: '--key needs a file: --key <audit-keys.json | key.pem>' };
      if (keyFile !== undefined) return { error: '--key is given more than once' };
      keyFile = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return { error: `unknown option ${arg}` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) return { error: 'no package given' };
  if (positional.length > 1) return { error: `one package at a time, not ${positional.length}` };
  return { file: positional[0], keyFile };
}

/** Why a key file's text is not a key the verifier can use, or null when it is one. */
export function keyFileProblem(text: string): string | null {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      createPublicKey(trimmed);
      return null;
    }
    const json = JSON.parse(trimmed) as { keys?: unknown };
    const keys = Array.isArray(json.keys) ? (json.keys as unknown[]) : [json];
    if (keys.length === 0) return 'holds no keys';
    for (const key of keys) createPublicKey({ key, format: 'jwk' } as JsonWebKeyInput);
    return null;
  } catch {
    return 'is not a PEM public key, a JWK or the JSON of GET /v1/audit/keys';
  }
}

/**
 * The package's entries by name, read strictly but without the layout check: for tests and the bench, which take
 * a package apart themselves. Duplicate names are refused, since a Map would keep only one of them.
 */
export function readZip(file: string): Promise<Map<string, Buffer>> {
  return Promise.resolve().then(() => {
    const entries = new Map<string, Buffer>();
    for (const entry of readZipFile(file)) {
      if (entries.has(entry.name))
        throw new Error(`entry ${JSON.stringify(entry.name)} appears more than once`);
      entries.set(entry.name, entry.data);
    }
    return entries;
  });
}

interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The whole command: its exit status, 0 verified, 1 refused, 2 usage. */
export function run(args: string[], io: Output): number {
  const parsed = parseArgs(args);
  if ('help' in parsed) {
    io.out(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`verify-evidence: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { file, keyFile } = parsed;
  let zip: Buffer;
  let keyText: string | undefined;
  try {
    zip = readFileSync(file);
  } catch (error) {
    io.err(`verify-evidence: cannot read the package ${file}: ${reason(error)}\n`);
    return 2;
  }
  if (keyFile !== undefined) {
    try {
      keyText = readFileSync(keyFile, 'utf8');
    } catch (error) {
      io.err(`verify-evidence: cannot read the key file ${keyFile}: ${reason(error)}\n`);
      return 2;
    }
    const problem = keyFileProblem(keyText);
    if (problem) {
      io.err(`verify-evidence: the key file ${keyFile} ${problem}\n`);
      return 2;
    }
  }

  io.out(`Evidence package ${file}\n`);
  let layout: ReturnType<typeof checkPackageLayout>;
  try {
    layout = checkPackageLayout(readZipEntries(zip));
  } catch (error) {
    io.out(`  ✘ not a readable ZIP: ${reason(error)}\npackage REFUSED\n`);
    return 1;
  }
  if (!layout.ok) {
    io.out(`${layout.problems.map((p) => `  ✘ ${p}`).join('\n')}\npackage REFUSED\n`);
    return 1;
  }
  const report = verifyEvidencePackage(layout.files, keyText);
  io.out(`  ✔ layout: ${layout.files.size} files, each once, exactly those manifest.json lists\n`);
  io.out(`${report.lines.map((l) => `  ${l}`).join('\n')}\n`);
  io.out(
    report.ok
      ? `package verified: ${report.links} links, ${report.events} audit events\n`
      : 'package REFUSED\n',
  );
  return report.ok ? 0 : 1;
}

// Not `instanceof Error`: errors from Node's core are of another realm under jest.
function reason(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ENOENT') return 'no such file';
  return typeof message === 'string' ? message : String(error);
}

if (require.main === module) {
  try {
    // exitCode, not exit(): a piped stdout may still be writing (asynchronous on macOS).
    process.exitCode = run(process.argv.slice(2), {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } catch (error) {
    process.stderr.write(`verify-evidence failed: ${reason(error)}\n`);
    process.exitCode = 2;
  }
}
