import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { createTestApp, Party, TestApp } from './support/app';
import { expectProblem } from './support/problem';

describe('authentication', () => {
  let t: TestApp;
  let ministry: Party;

  beforeAll(async () => {
    t = await createTestApp();
    ministry = await t.party('ministry');
  });
  afterAll(() => t.close());

  const tokenRequest = (clientId: string, secret: string) =>
    t.http
      .post('/v1/auth/token')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });

  const publicPart = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

  it('issues a short-lived ES256 token for valid client credentials', async () => {
    const res = await tokenRequest(ministry.clientId, ministry.clientSecret).expect(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'ministry',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const [header, payload] = (res.body.access_token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'JWT' });
    expect(payload).toEqual(
      expect.objectContaining({
        sub: ministry.clientId,
        agency: ministry.agencyId,
        role: 'ministry',
        iss: t.config.tokenIssuer,
        aud: t.config.tokenAudience,
        jti: expect.any(String),
      }),
    );
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(900);
  });

  it('accepts the form-encoded grant as RFC 6749 describes it', async () => {
    const res = await t.http
      .post('/v1/auth/token')
      .type('form')
      .send(
        `grant_type=client_credentials&client_id=${ministry.clientId}&client_secret=${encodeURIComponent(ministry.clientSecret)}`,
      )
      .expect(200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('answers a wrong secret, an unknown client, a revoked client and a suspended agency with the same 401', async () => {
    const revoked = await t.party('marketplace');
    await t.http
      .delete(`/v1/agencies/${revoked.agencyId}/clients/${revoked.clientId}`)
      .set(t.operator.auth)
      .expect(204);
    const suspended = await t.party('police');
    await t.http
      .patch(`/v1/agencies/${suspended.agencyId}`)
      .set(t.operator.auth)
      .send({ status: 'suspended' })
      .expect(200);

    const answers = await Promise.all([
      tokenRequest(ministry.clientId, 'wrong-secret'),
      tokenRequest('6f9619ff-8b86-4011-b42d-00cf4fc964ff', ministry.clientSecret),
      tokenRequest('not-even-a-uuid', 'x'),
      tokenRequest(revoked.clientId, revoked.clientSecret),
      tokenRequest(suspended.clientId, suspended.clientSecret),
    ]);
    const bodies = answers.map((res) => publicPart(expectProblem(res, 401)));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });

  it('refuses a malformed grant with 400 problem details', async () => {
    const res = await t.http
      .post('/v1/auth/token')
      .send({ grant_type: 'password', client_id: ministry.clientId, client_secret: 'x' });
    expect(expectProblem(res, 400).errors).toEqual([
      { path: 'grant_type', message: 'grant_type must be client_credentials' },
    ]);
  });

  it('refuses a token of a client revoked after it was issued, on the next request', async () => {
    const marketplace = await t.party('marketplace');
    await t.http.get(`/v1/agencies/${marketplace.agencyId}`).set(marketplace.auth).expect(200);
    await t.http
      .delete(`/v1/agencies/${marketplace.agencyId}/clients/${marketplace.clientId}`)
      .set(t.operator.auth)
      .expect(204);
    expectProblem(await t.http.get(`/v1/agencies/${marketplace.agencyId}`).set(marketplace.auth), 401);
  });

  it('refuses a token of an agency suspended after it was issued, and accepts it again on reactivation', async () => {
    const police = await t.party('police');
    await t.http.get(`/v1/agencies/${police.agencyId}`).set(police.auth).expect(200);
    await t.http
      .patch(`/v1/agencies/${police.agencyId}`)
      .set(t.operator.auth)
      .send({ status: 'suspended' })
      .expect(200);
    expectProblem(await t.http.get(`/v1/agencies/${police.agencyId}`).set(police.auth), 401);
    await t.http
      .patch(`/v1/agencies/${police.agencyId}`)
      .set(t.operator.auth)
      .send({ status: 'active' })
      .expect(200);
    await t.http.get(`/v1/agencies/${police.agencyId}`).set(police.auth).expect(200);
  });

  describe('forged tokens', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const decode = (token: string) => {
      const [h, p, s] = token.split('.');
      return {
        header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
        payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
        signature: s,
      };
    };
    const tokenKey = () => createPrivateKey(require('node:fs').readFileSync(t.config.tokenKeyFile) as Buffer);
    const signWith = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => {
      const { header: realHeader, payload } = decode(ministry.token);
      return new SignJWT({ ...payload, ...claims })
        .setProtectedHeader({ ...(realHeader as { alg: string }), ...header })
        .sign(tokenKey());
    };
    const refused = async (token: string) => {
      expectProblem(await t.http.get('/v1/agencies').set('Authorization', `Bearer ${token}`), 401);
    };

    it('refuses alg none', async () => {
      const { payload } = decode(ministry.token);
      await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`);
    });

    it('refuses HS256 signed with the public key as the secret', async () => {
      const { header, payload } = decode(ministry.token);
      const jwks = (await t.http.get('/.well-known/jwks.json').expect(200)).body as { keys: unknown[] };
      const signingInput = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
      for (const secret of [
        JSON.stringify(jwks.keys[0]),
        require('node:crypto').createPublicKey(tokenKey()).export({ type: 'spki', format: 'pem' }) as string,
      ]) {
        const sig = createHmac('sha256', secret).update(signingInput).digest('base64url');
        await refused(`${signingInput}.${sig}`);
      }
    });

    it('refuses a flipped signature bit', async () => {
      const [h, p, s] = ministry.token.split('.');
      const sig = Buffer.from(s, 'base64url');
      sig[10] ^= 0x01;
      await refused(`${h}.${p}.${sig.toString('base64url')}`);
    });

    it('refuses an edited claim', async () => {
      const [h, , s] = ministry.token.split('.');
      const { payload } = decode(ministry.token);
      await refused(`${h}.${b64({ ...payload, role: 'operator' })}.${s}`);
    });

    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refused(await signWith({ iat: now - 1000, exp: now - 60 }));
    });

    it('refuses a wrong audience and a wrong issuer', async () => {
      await refused(await signWith({ aud: 'someone-else' }));
      await refused(await signWith({ iss: 'https://evil.example' }));
    });

    it('refuses an unknown kid, and a token signed by another key', async () => {
      await refused(await signWith({}, { kid: 'unknown-key' }));
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const { header, payload } = decode(ministry.token);
      await refused(await new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(other));
    });

    it('still accepts a token the server signed itself (the forgeries above are refused for their flaw)', async () => {
      const res = await t.http.get('/v1/agencies').set('Authorization', `Bearer ${await signWith({})}`);
      expect(res.status).toBe(200);
    });

    it('refuses a request without a bearer token', async () => {
      const res = await t.http.get('/v1/agencies');
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  it('publishes the token key as a JWKS', async () => {
    const res = await t.http.get('/.well-known/jwks.json').expect(200);
    expect(res.body.keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) }),
    ]);
    expect(res.body.keys[0]).not.toHaveProperty('d');
  });
});

describe('token endpoint rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TOKEN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a client id has used its budget of failed attempts', async () => {
    const attempt = (secret = 'wrong') =>
      t.http
        .post('/v1/auth/token')
        .send({ grant_type: 'client_credentials', client_id: t.operator.clientId, client_secret: secret });
    // Counters are per clock minute: start early enough in one that the test does not straddle two.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
    // The token createTestApp fetched for this client did not count: only failures do.
    await attempt().expect(401);
    await attempt().expect(401);
    await attempt().expect(401);
    // Once the budget is used, even the right secret is refused from this address until the window ends.
    const res = await attempt(t.operator.clientSecret);
    expectProblem(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
