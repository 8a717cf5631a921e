import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createTestApp, Party, TestApp } from './support/app';
import { roomInRateWindow } from './support/rate-window';
import { freePort } from './support/tooling/ports';

const run = promisify(execFile);
const RUNNER = path.join(__dirname, 'oauth-client-runner.ts');

interface Job {
  method: 'client_secret_basic' | 'client_secret_post';
  clientSecret?: string;
  discover?: 'issuer' | 'metadata-url';
  scope?: string;
}

interface Outcome {
  ok: boolean;
  metadata?: Record<string, unknown>;
  token?: Record<string, unknown>;
  name?: string;
  error?: string;
  status?: number;
  retryAfter?: string;
  body?: Record<string, unknown>;
  challenges?: { scheme: string; parameters: Record<string, string> }[];
}

const JOBS = {
  basic: { method: 'client_secret_basic' },
  postWithScope: { method: 'client_secret_post', scope: 'ministry' },
  byMetadataUrl: { method: 'client_secret_basic', discover: 'metadata-url' },
  wrongSecretPost: { method: 'client_secret_post', clientSecret: 'wrong-secret' },
  wrongSecretBasic: { method: 'client_secret_basic', clientSecret: 'wrong-secret' },
  otherScope: { method: 'client_secret_basic', scope: 'operator' },
  // The third failed attempt for this client id from this address uses the budget (TOKEN_RATE_LIMIT_PER_MINUTE=3).
  wrongSecretAgain: { method: 'client_secret_post', clientSecret: 'wrong-again' },
  rateLimited: { method: 'client_secret_post' },
} satisfies Record<string, Job>;

/**
 * A real OAuth 2.0 client, openid-client 6, talking to the app over HTTP: discovery (RFC 8414) and the client
 * credentials grant with either client authentication method, as an integrating ministry system would. The
 * library runs in one child process for all the cases (it is ESM-only; see oauth-client-runner.ts).
 */
describe('openid-client against the token endpoint', () => {
  let t: TestApp;
  let base: string;
  let ministry: Party;
  const outcomes = {} as Record<keyof typeof JOBS, Outcome>;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The issuer is the public URL, so discovery from the issuer finds the metadata (RFC 8414 §3).
    t = await createTestApp({ PUBLIC_BASE_URL: base, TOKEN_RATE_LIMIT_PER_MINUTE: '3' });
    await t.app.listen(port, '127.0.0.1');
    ministry = await t.party('ministry');
    const names = Object.keys(JOBS) as (keyof typeof JOBS)[];
    const jobs = names.map((name) => ({
      server: base,
      discover: 'issuer',
      clientId: ministry.clientId,
      clientSecret: ministry.clientSecret,
      ...JOBS[name],
    }));
    // Failed attempts are counted per clock minute: the jobs must not straddle two.
    await roomInRateWindow(15);
    const { stdout } = await run(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), RUNNER, JSON.stringify(jobs)],
      { timeout: 60_000 },
    );
    (JSON.parse(stdout) as Outcome[]).forEach((outcome, i) => (outcomes[names[i]] = outcome));
  });
  afterAll(() => t.close());

  it('discovers the server from its issuer (RFC 8414) and gets a token with client_secret_basic', async () => {
    const outcome = outcomes.basic;
    expect(outcome).toEqual(expect.objectContaining({ ok: true }));
    expect(outcome.metadata).toEqual(
      expect.objectContaining({
        issuer: base,
        token_endpoint: `${base}/v1/auth/token`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      }),
    );
    expect(outcome.token).toEqual(
      expect.objectContaining({ access_token: expect.any(String), token_type: 'bearer', scope: 'ministry' }),
    );
    // The token verifies with the keys the metadata points to, as RFC 9068 asks a resource server to check it.
    const accessToken = outcome.token!.access_token as string;
    const { payload, protectedHeader } = await jwtVerify(
      accessToken,
      createRemoteJWKSet(new URL(outcome.metadata!.jwks_uri as string)),
      { issuer: base, audience: t.config.tokenAudience, typ: 'at+jwt' },
    );
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toEqual(
      expect.objectContaining({ sub: ministry.clientId, client_id: ministry.clientId }),
    );
    await t.http
      .get(`/v1/agencies/${ministry.agencyId}`)
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
  });

  it('gets a token with client_secret_post, asking for the scope of its role', () => {
    expect(outcomes.postWithScope).toEqual(expect.objectContaining({ ok: true }));
    expect(outcomes.postWithScope.token).toEqual(
      expect.objectContaining({ token_type: 'bearer', scope: 'ministry' }),
    );
  });

  it('discovers the server from the metadata URL itself too', () => {
    expect(outcomes.byMetadataUrl).toEqual(expect.objectContaining({ ok: true }));
  });

  it('reads a wrong secret sent in the body as the OAuth error invalid_client', () => {
    expect(outcomes.wrongSecretPost).toEqual(
      expect.objectContaining({ ok: false, name: 'ResponseBodyError', error: 'invalid_client', status: 401 }),
    );
  });

  it('answers a wrong secret sent with HTTP Basic with the Basic challenge and invalid_client', () => {
    // RFC 6749 §5.2 requires the WWW-Authenticate challenge here; openid-client then reports the challenge
    // (WWWAuthenticateChallengeError) rather than the body, which still carries error: invalid_client.
    const outcome = outcomes.wrongSecretBasic;
    expect(outcome).toEqual(
      expect.objectContaining({ ok: false, name: 'WWWAuthenticateChallengeError', status: 401 }),
    );
    expect(outcome.challenges).toEqual([
      { scheme: 'basic', parameters: { realm: 'takedown-exchange', charset: 'UTF-8' } },
    ]);
    expect(outcome.body).toEqual(expect.objectContaining({ error: 'invalid_client', status: 401 }));
  });

  it('reads the failed-attempt limit as the OAuth error temporarily_unavailable, with Retry-After', () => {
    expect(outcomes.wrongSecretAgain).toEqual(
      expect.objectContaining({ error: 'invalid_client', status: 401 }),
    );
    // Even the right secret waits out the window.
    expect(outcomes.rateLimited).toEqual(
      expect.objectContaining({
        ok: false,
        name: 'ResponseBodyError',
        error: 'temporarily_unavailable',
        status: 429,
      }),
    );
    expect(Number(outcomes.rateLimited.retryAfter)).toBeGreaterThan(0);
  });

  it('reads a scope the client may not have as the OAuth error invalid_scope', () => {
    expect(outcomes.otherScope).toEqual(
      expect.objectContaining({ ok: false, name: 'ResponseBodyError', error: 'invalid_scope', status: 400 }),
    );
  });
});
