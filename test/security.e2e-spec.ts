import { createTestApp, TestApp } from './support/app';
import { batch, setUpCampaign, shopeeUrl } from './support/campaign';

describe('secrets stay out of the logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({}, { logTo: { write: (line) => void lines.push(line) } });
  });
  afterAll(() => t.close());

  it('logs neither client secrets nor bearer tokens, at the most verbose level, on success or failure', async () => {
    const c = await setUpCampaign(t);
    await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch([shopeeUrl()]))
      .expect(201);
    await t.http
      .post('/v1/auth/token')
      .send({
        grant_type: 'client_credentials',
        client_id: c.police.clientId,
        client_secret: 'wrong-secret-xyz',
      })
      .expect(401);
    await t.http
      .post('/v1/auth/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: c.shopee.clientId,
        client_secret: c.shopee.clientSecret,
      })
      .expect(200);
    await t.http.get('/v1/links').set('Authorization', `Bearer ${c.police.token}x`).expect(401);
    const created = await t.http
      .post(`/v1/agencies/${c.police.agencyId}/clients`)
      .set(t.operator.auth)
      .send({ name: 'second client' })
      .expect(201);

    const log = lines.join('');
    expect(log).toContain('/v1/auth/token'); // the requests themselves were logged
    for (const secret of [
      c.ministry.clientSecret,
      c.shopee.clientSecret,
      'wrong-secret-xyz',
      created.body.clientSecret as string,
      t.operator.clientSecret,
    ]) {
      expect(log).not.toContain(secret);
    }
    for (const token of [c.ministry.token, c.police.token, t.operator.token]) {
      expect(log).not.toContain(token.split('.')[2]);
    }
  });
});
