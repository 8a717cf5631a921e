import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createTestApp, Party, TestApp } from './support/app';
import { freePort } from './support/tooling/ports';

const run = promisify(execFile);
const RUNNER = path.join(__dirname, 'oauth-client-runner.ts');

interface Outcome {
  ok: boolean;
  metadata?: Record<string, unknown>;
  token?: Record<string, unknown>;
  name?: string;
  error?: string;
  status?: number;
  body?: Record<string, unknown>;
  challenges?: { scheme: string; parameters: Record<string, string> }[];
}

/**
 * A real OAuth 2.0 client, openid-client 6, talking to the app over HTTP: discovery (RFC 8414) and the client
 * credentials grant with either client authentication method, as an integrating ministry system would.
 */
describe('openid-client against the token endpoint', () => {
  let t: TestApp;
  let base: string;
  let ministry: Party;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_BASE_URL: base });
    await t.app.listen(port, '127.0.0.1');
    ministry = await t.party('ministry');
  });
  afterAll(() => t.close());

  const client = async (job: {
    clientId?: string;
    clientSecret?: string;
    method: 'client_secret_basic' | 'client_secret_post';
    discover?: 'issuer' | 'metadata-url';
    scope?: string;
  }): Promise<Outcome> => {
    const { stdout } = await run(
      process.execPath,
      [
        '-r',
        require.resolve('ts-node/register/transpile-only'),
        RUNNER,
        JSON.stringify({
          server: base,
          discover: 'issuer',
          clientId: ministry.clientId,
          clientSecret: ministry.clientSecret,
          ...job,
        }),
      ],
      { timeout: 60_000 },
    );
    return JSON.parse(stdout) as Outcome;
  };

  it('discovers the server from its issuer (RFC 8414) and gets a token with client_secret_basic', async () => {
    const outcome = await client({ method: 'client_secret_basic' });
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
    const { payload, protectedHeader } = await jwtVerify(
      outcome.token!.access_token as string,
      createRemoteJWKSet(new URL(outcome.metadata!.jwks_uri as string)),
      { issuer: base, audience: t.config.tokenAudience, typ: 'at+jwt' },
    );
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toEqual(
      expect.objectContaining({ sub: ministry.clientId, client_id: ministry.clientId }),
    );
    await t.http
      .get(`/v1/agencies/${ministry.agencyId}`)
      .set('Authorization', `Bearer ${outcome.token!.access_token as string}`)
      .expect(200);
  });

  it('gets a token with client_secret_post, and with the scope of its role', async () => {
    const outcome = await client({ method: 'client_secret_post', scope: 'ministry' });
    expect(outcome).toEqual(expect.objectContaining({ ok: true }));
    expect(outcome.token).toEqual(expect.objectContaining({ token_type: 'bearer', scope: 'ministry' }));
  });

  it('discovers the server from the metadata URL itself too', async () => {
    const outcome = await client({ method: 'client_secret_basic', discover: 'metadata-url' });
    expect(outcome).toEqual(expect.objectContaining({ ok: true }));
  });

  it('reads a wrong secret sent in the body as the OAuth error invalid_client', async () => {
    const outcome = await client({ method: 'client_secret_post', clientSecret: 'wrong-secret' });
    expect(outcome).toEqual(
      expect.objectContaining({ ok: false, name: 'ResponseBodyError', error: 'invalid_client', status: 401 }),
    );
  });

  it('answers a wrong secret sent with HTTP Basic with the Basic challenge and invalid_client', async () => {
    // RFC 6749 §5.2 requires the WWW-Authenticate challenge here; openid-client then reports the challenge
    // (WWWAuthenticateChallengeError) rather than the body, which still carries error: invalid_client.
    const outcome = await client({ method: 'client_secret_basic', clientSecret: 'wrong-secret' });
    expect(outcome).toEqual(
      expect.objectContaining({ ok: false, name: 'WWWAuthenticateChallengeError', status: 401 }),
    );
    expect(outcome.challenges).toEqual([
      { scheme: 'basic', parameters: { realm: 'takedown-exchange', charset: 'UTF-8' } },
    ]);
    expect(outcome.body).toEqual(expect.objectContaining({ error: 'invalid_client', status: 401 }));
  });

  it('reads a scope the client may not have as the OAuth error invalid_scope', async () => {
    const outcome = await client({ method: 'client_secret_basic', scope: 'operator' });
    expect(outcome).toEqual(
      expect.objectContaining({ ok: false, name: 'ResponseBodyError', error: 'invalid_scope', status: 400 }),
    );
  });
});
