import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { createTestApp, Party, TestApp } from './support/app';
import { basicAuth as basic, expectNoStore, expectOAuthError } from './support/oauth';
import { expectProblem } from './support/problem';
import { roomInRateWindow } from './support/rate-window';

const decode = (token: string) => {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
    signature: s,
  };
};

const BASIC_CHALLENGE = 'Basic realm="takedown-exchange", charset="UTF-8"';

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
    expectNoStore(res);
    const [header, payload] = (res.body.access_token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    // RFC 9068: an access token says so in its type, and names its client.
    expect(header).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
    expect(payload).toEqual({
      iss: t.config.tokenIssuer,
      aud: t.config.tokenAudience,
      sub: ministry.clientId,
      client_id: ministry.clientId,
      scope: 'ministry',
      agency: ministry.agencyId,
      role: 'ministry',
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
    });
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(900);
  });

  it('accepts client_secret_basic, with a form body or a JSON one, and the token works', async () => {
    const form = await t.http
      .post('/v1/auth/token')
      .set('Authorization', basic(ministry.clientId, ministry.clientSecret))
      .type('form')
      .send('grant_type=client_credentials')
      .expect(200);
    expect(form.body).toEqual(expect.objectContaining({ token_type: 'Bearer', scope: 'ministry' }));
    expectNoStore(form);
    const json = await t.http
      .post('/v1/auth/token')
      .set('Authorization', basic(ministry.clientId, ministry.clientSecret))
      .send({ grant_type: 'client_credentials', client_id: ministry.clientId })
      .expect(200);
    await t.http
      .get(`/v1/agencies/${ministry.agencyId}`)
      .set('Authorization', `Bearer ${json.body.access_token}`)
      .expect(200);
  });

  it("grants the scope that is the client's role, echoes it, and refuses any other with invalid_scope", async () => {
    const withScope = (scope: string) =>
      t.http
        .post('/v1/auth/token')
        .type('form')
        .send(
          new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: ministry.clientId,
            client_secret: ministry.clientSecret,
            scope,
          }).toString(),
        );
    expect((await withScope('ministry').expect(200)).body.scope).toBe('ministry');
    expect((await withScope('').expect(200)).body.scope).toBe('ministry'); // empty counts as omitted
    for (const scope of ['operator', 'ministry police', 'read']) {
      expectOAuthError(await withScope(scope), 400, 'invalid_scope');
    }
  });

  it('ignores parameters it does not know (RFC 6749 §3.2)', async () => {
    const res = await t.http
      .post('/v1/auth/token')
      .send({
        grant_type: 'client_credentials',
        client_id: ministry.clientId,
        client_secret: ministry.clientSecret,
        resource: 'https://api.example',
      })
      .expect(200);
    expect(res.body.scope).toBe('ministry');
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

  it('answers a wrong secret, an unknown client, a revoked client and a suspended agency with the same invalid_client', async () => {
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

    const wrong: [string, string][] = [
      [ministry.clientId, 'wrong-secret'],
      ['6f9619ff-8b86-4011-b42d-00cf4fc964ff', ministry.clientSecret],
      ['not-even-a-uuid', 'x'],
      [revoked.clientId, revoked.clientSecret],
      [suspended.clientId, suspended.clientSecret],
    ];
    const posted = await Promise.all(wrong.map(([id, secret]) => tokenRequest(id, secret)));
    const bodies = posted.map((res) => publicPart(expectOAuthError(res, 401, 'invalid_client')));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    // A secret sent in the body is not answered with an HTTP challenge.
    for (const res of posted) expect(res.headers['www-authenticate']).toBeUndefined();

    const viaBasic = await Promise.all(
      wrong.map(([id, secret]) =>
        t.http
          .post('/v1/auth/token')
          .set('Authorization', basic(id, secret))
          .type('form')
          .send('grant_type=client_credentials'),
      ),
    );
    for (const res of viaBasic) {
      expect(publicPart(expectOAuthError(res, 401, 'invalid_client'))).toEqual(bodies[0]);
      // RFC 6749 §5.2: the client used the Authorization header, so it is challenged with the scheme it used.
      expect(res.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    }
  });

  it('answers a request without client authentication, or with another scheme, with invalid_client and a Basic challenge', async () => {
    const answers = [
      await t.http
        .post('/v1/auth/token')
        .send({ grant_type: 'client_credentials', client_id: ministry.clientId }),
      await t.http
        .post('/v1/auth/token')
        .set('Authorization', `Bearer ${ministry.token}`)
        .send({ grant_type: 'client_credentials' }),
      await t.http
        .post('/v1/auth/token')
        .set('Authorization', 'Basic not-base64!')
        .send({ grant_type: 'client_credentials' }),
    ];
    for (const res of answers) {
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    }
  });

  it('refuses an unsupported grant type with unsupported_grant_type', async () => {
    const res = await t.http
      .post('/v1/auth/token')
      .send({ grant_type: 'password', client_id: ministry.clientId, client_secret: 'x' });
    expect(expectOAuthError(res, 400, 'unsupported_grant_type').error_description).toBe(
      'Only the client_credentials grant is supported',
    );
  });

  it('refuses malformed requests with invalid_request', async () => {
    const answers = [
      // Two client authentication methods at once.
      await t.http
        .post('/v1/auth/token')
        .set('Authorization', basic(ministry.clientId, ministry.clientSecret))
        .send({ grant_type: 'client_credentials', client_secret: ministry.clientSecret }),
      // No grant_type.
      await t.http
        .post('/v1/auth/token')
        .send({ client_id: ministry.clientId, client_secret: ministry.clientSecret }),
      // A parameter sent twice.
      await t.http
        .post('/v1/auth/token')
        .type('form')
        .send(
          `grant_type=client_credentials&grant_type=client_credentials&client_id=${ministry.clientId}&client_secret=${encodeURIComponent(ministry.clientSecret)}`,
        ),
      // A parameter that is not a string.
      await t.http
        .post('/v1/auth/token')
        .send({ grant_type: 'client_credentials', client_id: ministry.clientId, client_secret: 42 }),
    ];
    expect(answers.map((res) => expectOAuthError(res, 400, 'invalid_request').error_description)).toEqual([
      'Use one client authentication method: HTTP Basic or client_id and client_secret in the body, not both',
      'grant_type is required',
      'grant_type is sent more than once',
      'client_secret must be a string',
    ]);
  });

  it('answers what the pipeline refuses before the endpoint (body parsing, media type) the OAuth way too', async () => {
    const malformed = await t.http
      .post('/v1/auth/token')
      .set('Content-Type', 'application/json')
      .send('{"grant_type":');
    expect(expectOAuthError(malformed, 400, 'invalid_request').type).toMatch(/malformed-body$/);
    const unsafe = await t.http
      .post('/v1/auth/token')
      .set('Content-Type', 'application/json')
      .send('{"grant_type":"client_credentials","__proto__":{"x":1}}');
    expectOAuthError(unsafe, 400, 'invalid_request');
    const tooLarge = await t.http
      .post('/v1/auth/token')
      .type('form')
      .send(`grant_type=client_credentials&pad=${'x'.repeat(20_000)}`);
    expectOAuthError(tooLarge, 413, 'invalid_request');
    const wrongType = await t.http
      .post('/v1/auth/token')
      .set('Content-Type', 'text/plain')
      .send('grant_type=client_credentials');
    expectOAuthError(wrongType, 415, 'invalid_request');
    // A type the parser reads but this route does not take: refused by the route's guard, same shape.
    const csv = await t.http.post('/v1/auth/token').set('Content-Type', 'text/csv').send('grant_type\n');
    expectOAuthError(csv, 415, 'invalid_request');
  });

  it('answers the OAuth way whatever the case of the path or a trailing slash, as Express routes them', async () => {
    const res = await t.http.post('/V1/Auth/Token/').send({ grant_type: 'password' });
    expect(expectOAuthError(res, 400, 'unsupported_grant_type').instance).toBe('/V1/Auth/Token/');
  });

  it("names the caller's role and who may call on 403", async () => {
    const police = await t.party('police');
    const res = await t.http.get('/v1/stats/takedowns').set(police.auth);
    expect(expectProblem(res, 403).detail).toBe(
      'Your role (police) may not call this; it is for operator, ministry, marketplace, association',
    );
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

    it("refuses a token of the server's own key that is not typed at+jwt (RFC 9068 §4)", async () => {
      await refused(await signWith({}, { typ: 'JWT' }));
      const { header, payload } = decode(ministry.token);
      const untyped = { alg: header.alg as string, kid: header.kid as string };
      await refused(await new SignJWT(payload).setProtectedHeader(untyped).sign(tokenKey()));
    });

    it('refuses a token without client_id, or whose client_id is not its subject', async () => {
      await refused(await signWith({ client_id: undefined }));
      await refused(await signWith({ client_id: t.operator.clientId }));
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
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        alg: 'ES256',
        use: 'sig',
        kid: decode(ministry.token).header.kid,
      },
    ]);
  });

  it("publishes RFC 8414 metadata whose issuer is the tokens' iss, its URLs on the request's host when no PUBLIC_BASE_URL is set", async () => {
    const res = await t.http
      .get('/.well-known/oauth-authorization-server')
      .set('Host', 'api.example:8443')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json\b/);
    expect(res.body).toEqual({
      issuer: decode(ministry.token).payload.iss,
      token_endpoint: 'http://api.example:8443/v1/auth/token',
      jwks_uri: 'http://api.example:8443/.well-known/jwks.json',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['operator', 'ministry', 'marketplace', 'association', 'police'],
      response_types_supported: [],
      service_documentation: 'http://api.example:8443/docs',
    });
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
    await roomInRateWindow(10);
    // The token createTestApp fetched for this client did not count: only failures do.
    await attempt().expect(401);
    await attempt().expect(401);
    await attempt().expect(401);
    // Once the budget is used, even the right secret is refused from this address until the window ends.
    // temporarily_unavailable: an OAuth library reports a server that cannot answer now, not a bad request.
    const res = await attempt(t.operator.clientSecret);
    expectOAuthError(res, 429, 'temporarily_unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('token endpoint before its body is read', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('answers the address budget for requests without a token with an OAuth 429 and Retry-After', async () => {
    await roomInRateWindow(10);
    const attempt = () =>
      t.http
        .post('/v1/auth/token')
        .type('form')
        .send(`grant_type=client_credentials&client_id=${t.operator.clientId}&client_secret=wrong`);
    // createTestApp's own token request was the first; the limit is hit within a few more.
    let res = await attempt();
    for (let i = 0; i < 5 && res.status !== 429; i++) res = await attempt();
    expectOAuthError(res, 429, 'temporarily_unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Elsewhere the same budget still answers problem details.
    expectProblem(await t.http.get('/health'), 429);
  });
});
