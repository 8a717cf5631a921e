/**
 * The standalone evidence verifier: src/cli/verify-evidence.ts bundled by esbuild into one CommonJS file that needs
 * nothing but Node. `npm run build` writes it to dist/verify-evidence.cjs; code run from TypeScript (tests, ts-node)
 * bundles the same source in memory, with the same options, so both give the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { projectRoot } from '../config/project-root';

export const VERIFIER_FILE_NAME = 'verify-evidence.cjs';
const SOURCE = path.join('src', 'cli', 'verify-evidence.ts');
const BUILT = path.join('dist', VERIFIER_FILE_NAME);

export interface VerifierBundle {
  bytes: Buffer;
  sha256: string;
}

function options(root: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [SOURCE],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The source's own `#!/usr/bin/env node` stays the first line; esbuild puts the banner after it.
    banner: {
      js: '// Takedown Exchange evidence verifier (built from src/cli/verify-evidence.ts): Node 20+ and its standard library only.',
    },
    // Inlined packages keep their licence notices, gathered at the end of the file.
    legalComments: 'eof',
    charset: 'utf8',
    metafile: true,
    write: false,
    logLevel: 'silent',
  };
}

/**
 * Bundles the verifier. What it imports from node_modules is inlined; a bundle that would still need anything but
 * Node's built-in modules at run time is refused, since it would not run on its own.
 */
export async function buildVerifierBundle(root = projectRoot()): Promise<Buffer> {
  // esbuild is a build tool (a devDependency): loaded only when there is no built bundle to read.
  const esbuild = await import('esbuild');
  const result = await esbuild.build(options(root));
  const needed = Object.values(result.metafile!.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external && !isBuiltin(imported.path))
    .map((imported) => imported.path);
  if (needed.length) {
    throw new Error(
      `the verifier must need only Node's built-in modules, but it requires ${needed.join(', ')}`,
    );
  }
  const bytes = Buffer.from(result.outputFiles![0].contents);
  if (!bytes.subarray(0, 20).equals(Buffer.from('#!/usr/bin/env node\n'))) {
    throw new Error(`${SOURCE} must begin with #!/usr/bin/env node`);
  }
  return bytes;
}

let cached: Promise<VerifierBundle> | undefined;

/** The bundle served to the public: dist/verify-evidence.cjs beside the compiled code, else built once per process. */
export function verifierBundle(): Promise<VerifierBundle> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined; // a failed build is tried again on the next request, not remembered
    throw error;
  });
  return cached;
}

async function load(): Promise<VerifierBundle> {
  const root = projectRoot();
  const built = path.join(root, BUILT);
  // From TypeScript sources a dist/ left by an earlier build may be stale: bundle the sources being run.
  const compiled = __filename.endsWith('.js');
  const bytes = compiled && existsSync(built) ? readFileSync(built) : await buildVerifierBundle(root);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
