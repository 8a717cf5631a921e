/** npm run build's last step: the standalone evidence verifier, dist/verify-evidence.cjs. */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/config/project-root';
import { buildVerifierBundle, VERIFIER_FILE_NAME } from '../src/verifier-download/verifier-bundle';

async function main(): Promise<void> {
  const root = projectRoot();
  const bytes = await buildVerifierBundle(root);
  const out = path.join(root, 'dist', VERIFIER_FILE_NAME);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  chmodSync(out, 0o755);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  process.stdout.write(`${path.relative(root, out)}: ${bytes.length} bytes, sha256 ${sha256}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build-verifier: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
