import { statSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BootstrapService } from '../src/bootstrap/bootstrap.service';
import { createTestApp, TestApp } from './support/app';

describe('first start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SEED_DEMO: 'true' });
  });
  afterAll(() => t.close());

  it('writes the operator credentials to the data folder with mode 0600, once', async () => {
    const file = path.join(t.config.dataDir, 'operator-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.clientId).toBe(t.operator.clientId);
    expect(await t.app.get(BootstrapService).ensureOperator()).toBeNull();
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM agencies WHERE type = 'operator'`);
    expect(n).toBe(1);
  });

  it('seeds the demo agencies once, each with a working client', async () => {
    const seeded = await t.app.get(BootstrapService).seedDemo();
    expect(Object.keys(seeded ?? {}).sort()).toEqual([
      'idea',
      'kemendag',
      'lazada',
      'polri-siber',
      'shopee',
      'tiktok',
      'tokopedia',
    ]);
    const file = path.join(t.config.dataDir, 'demo-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await t.token(seeded!.kemendag.clientId, seeded!.kemendag.clientSecret);
    expect(await t.app.get(BootstrapService).seedDemo()).toBeNull();
    const verify = await t.http.get('/v1/audit/verify').set(t.operator.auth).expect(200);
    expect(verify.body.ok).toBe(true);
  });
});
