import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const MAIN = path.join(__dirname, '..', '..', '..', 'dist', 'src', 'main.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes, read by tests
export type Json = Record<string, any>;

export interface Creds {
  clientId: string;
  clientSecret: string;
  agencyId: string;
}

/** The built API as its own process, so it can be killed with SIGKILL and started again on the same data. */
export class ApiProcess {
  private proc: ChildProcess | null = null;
  readonly base: string;

  /** `env` adds to and overrides the defaults below; `nodeArgs` go to node (a profiler, say). */
  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
    readonly dataDir: string,
    private readonly nodeArgs: string[] = [],
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  get pid(): number {
    if (!this.proc?.pid) throw new Error('the API is not running');
    return this.proc.pid;
  }

  get alive(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(): Promise<void> {
    this.proc = spawn(process.execPath, [...this.nodeArgs, MAIN], {
      env: {
        ...process.env,
        LOG_LEVEL: 'error',
        RATE_LIMIT_PER_MINUTE: '1000000',
        TOKEN_RATE_LIMIT_PER_MINUTE: '100000',
        UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '100000',
        SEED_DEMO: 'true',
        CHECKPOINT_INTERVAL_SECONDS: '0',
        ...this.env,
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      if (!this.alive) throw new Error(`the API exited with ${this.proc.exitCode ?? this.proc.signalCode}`);
      try {
        if ((await fetch(`${this.base}/health/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the API did not become ready');
  }

  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.alive) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.alive) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }

  credentials(): Record<string, Creds> {
    return {
      ...(JSON.parse(readFileSync(path.join(this.dataDir, 'demo-credentials.json'), 'utf8')) as Record<
        string,
        Creds
      >),
      operator: JSON.parse(
        readFileSync(path.join(this.dataDir, 'operator-credentials.json'), 'utf8'),
      ) as Creds,
    };
  }

  async token(c: Pick<Creds, 'clientId' | 'clientSecret'>): Promise<string> {
    const res = await fetch(`${this.base}/v1/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async call(
    token: string,
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(this.base + url, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      // A string is sent as it is: the bench serialises large bodies before it starts the clock.
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!/json/.test(res.headers.get('content-type') ?? '')) {
      return { status: res.status, body: { bytes: (await res.arrayBuffer()).byteLength } };
    }
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  }
}

let listing = Date.now() % 1_000_000_000;
/** Distinct Shopee listing URLs. */
export function listings(n: number): string[] {
  return Array.from({ length: n }, () => {
    const k = ++listing;
    return `https://shopee.co.id/Kemeja-Bekas-i.${100000 + (k % 9000)}.${k}`;
  });
}
