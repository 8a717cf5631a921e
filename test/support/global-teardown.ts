import { rmSync } from 'node:fs';
import { readState } from './database';
import { adminQuery } from './tooling';

export default async function globalTeardown(): Promise<void> {
  const state = readState();
  await adminQuery(state.serverUrl, `DROP DATABASE IF EXISTS ${state.template} WITH (FORCE)`).catch(
    () => undefined,
  );
  await globalThis.__TAKEDOWN_EMBEDDED_STOP__?.();
  if (state.dataDir) rmSync(state.dataDir, { recursive: true, force: true });
}
