import { Client } from 'pg';
import { createTestApp, TestApp } from './support/app';
import { APP_ROLE as ROLE, asAppRole } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';

describe('the least-privilege application role (scripts/sql/app-role.sql)', () => {
  let t: TestApp;
  let c: Campaign;
  let ownerUrl: string;

  beforeAll(async () => {
    t = await createTestApp({}, { connectAs: asAppRole((url) => (ownerUrl = url)) });
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  it('is enough to run every kind of change: agencies, marketplaces, batches, acknowledgements, evidence, keywords', async () => {
    const [{ current_user: user }] = await t.db.query<{ current_user: string }[]>('SELECT current_user');
    expect(user).toBe(ROLE);
    await t.http
      .patch(`/v1/marketplaces/${c.shopee.marketplaceId}`)
      .set(t.operator.auth)
      .send({ domains: ['shopee.co.id', 'shp.ee', 'shopee.com'] })
      .expect(200);
    const { batchId, links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl(), tokopediaUrl()]);
    const mine = links.filter((l) => l.marketplaceId === c.shopee.marketplaceId);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: mine.map((l) => ({
          linkId: l.id,
          status: 'taken_down',
          listing: { sellerRef: 'role-seller' },
        })),
      })
      .expect(200);
    const keyword = await t.http
      .post('/v1/keywords')
      .set(c.ministry.auth)
      .send({ term: 'role test' })
      .expect(201);
    await t.http.delete(`/v1/keywords/${keyword.body.id}`).set(c.ministry.auth).expect(200);
    const filed = await t.http
      .post('/v1/evidence-requests')
      .set(c.police.auth)
      .send({
        caseNumber: 'ROLE/1',
        legalBasis: 'test',
        purpose: 'test',
        scope: { sellerRefs: ['role-seller'] },
      })
      .expect(201);
    await t.http
      .post(`/v1/evidence-requests/${filed.body.id}/responses`)
      .set(c.shopee.auth)
      .send({ decision: 'fulfil', sellerRecords: [{ sellerRef: 'role-seller' }] })
      .expect(201);
    await t.http.get(`/v1/evidence-requests/${filed.body.id}/export`).set(c.police.auth).expect(200);
    await t.http
      .post(`/v1/link-batches/${batchId}/cancel`)
      .set(c.ministry.auth)
      .send({ reason: 'role test' })
      .expect(200);
    const verify = await t.http.get('/v1/audit/verify').set(t.operator.auth).expect(200);
    expect(verify.body.ok).toBe(true);
    await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200);
  });

  it('cannot rewrite the audit trail, even by switching its triggers off', async () => {
    const app = t.db;
    const refused = async (sql: string) =>
      expect(app.query(sql)).rejects.toMatchObject({
        driverError: expect.objectContaining({ code: '42501' }),
      });
    await refused(`UPDATE audit_events SET canonical = 'x' WHERE seq = 1`);
    await refused('DELETE FROM audit_events WHERE seq = 1');
    await refused('TRUNCATE audit_events');
    await refused('ALTER TABLE audit_events DISABLE TRIGGER ALL');
    await refused(`UPDATE audit_checkpoints SET signature = 'x'`);
    await refused('DELETE FROM audit_merkle_nodes');
    await refused('DROP TABLE links');

    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    const [{ n }] = (await owner.query<{ n: string }>('SELECT count(*) AS n FROM audit_events')).rows;
    await owner.end();
    expect(Number(n)).toBeGreaterThan(10);
  });
});
