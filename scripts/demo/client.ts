/** What every act of npm run demo shares: where the exchange is, how a call is made, how a step is printed. */
import * as path from 'node:path';
import type { Creds, Json } from '../../test/support/tooling';

export const BASE = (
  process.env.BASE_URL ??
  process.env.DEMO_URL ??
  `http://127.0.0.1:${process.env.PORT ?? 3000}`
).replace(/\/+$/, '');
export const DATA_DIR = path.resolve(process.env.DATA_DIR ?? '.data');

export const say = (text = '') => console.log(text);
export const step = (n: number, title: string) =>
  say(`\n── ${n}. ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);

export interface DemoLink {
  id: string;
  url: string;
}

/** What the acts hand on to each other: tokens by party, listing numbers, sellers and outcomes so far. */
export interface Demo {
  t: Record<string, string>;
  markets: string[];
  /** Marketplace id → code, as GET /v1/marketplaces names them. */
  codes: Map<string, string>;
  n: number;
  sellers: Record<string, string[]>;
  takenDown: Record<string, DemoLink[]>;
  stillOpen: DemoLink[];
}

async function answer(method: string, url: string, res: Response): Promise<Json> {
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Json) : {};
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${json.detail ?? text}`);
  return json;
}

export async function call(token: string | null, method: string, url: string, body?: unknown): Promise<Json> {
  const res = await fetch(BASE + url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return answer(method, url, res);
}

/** POST /v1/fingerprints: the exchange hashes a photo for a party without a hasher of its own. */
export async function fingerprint(
  token: string,
  jpeg: Buffer,
): Promise<{ algorithm: string; hash: string }[]> {
  const res = await fetch(`${BASE}/v1/fingerprints`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' },
    body: jpeg,
  });
  return (await answer('POST', '/v1/fingerprints', res)).imageHashes as { algorithm: string; hash: string }[];
}

export async function token(c: Creds): Promise<string> {
  const res = await call(null, 'POST', '/v1/auth/token', {
    grant_type: 'client_credentials',
    client_id: c.clientId,
    client_secret: c.clientSecret,
  });
  return res.access_token as string;
}

/** The link once matching on arrival (which runs just after the acknowledgement's commit) has done it. */
export async function matchedLink(d: Demo, linkId: string, withinMs = 30_000): Promise<Json> {
  for (const until = Date.now() + withinMs; ;) {
    const seen = await call(d.t.kemendag, 'GET', `/v1/links/${linkId}`);
    if (!seen.matchingPending) return seen;
    if (Date.now() > until)
      throw new Error(`matching had not done link ${linkId} within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
