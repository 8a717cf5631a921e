#!/usr/bin/env node
/** takedown-verify-evidence <package.zip> [--key <public key PEM | JWK | JWKS file>] — offline, no database, no network. */
import { readFileSync } from 'node:fs';
import * as yauzl from 'yauzl';
import { verifyEvidencePackage } from './evidence-verifier';

export function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open the package'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const keyAt = args.indexOf('--key');
  const keyFile = keyAt >= 0 ? args[keyAt + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && (keyAt < 0 || i !== keyAt + 1));
  if (!file || (keyAt >= 0 && !keyFile)) {
    process.stderr.write('usage: verify-evidence <package.zip> [--key <public key PEM, JWK or JWKS file>]\n');
    return 2;
  }
  let entries: Map<string, Buffer>;
  try {
    entries = await readZip(file);
  } catch (error) {
    process.stdout.write(
      `✘ ${file} is not a readable ZIP: ${error instanceof Error ? error.message : String(error)}\npackage REFUSED\n`,
    );
    return 1;
  }
  const report = verifyEvidencePackage(entries, keyFile ? readFileSync(keyFile, 'utf8') : undefined);
  process.stdout.write(`Evidence package ${file}\n${report.lines.map((l) => `  ${l}`).join('\n')}\n`);
  process.stdout.write(
    report.ok
      ? `package verified: ${report.links} links, ${report.events} audit events\n`
      : 'package REFUSED\n',
  );
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `verify-evidence failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
