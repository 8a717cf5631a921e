import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The folder holding package.json, whether we run from src/ (ts-node, jest) or from dist/. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
