import type { AddressInfo } from 'node:net';
import { createTestApp, TestApp } from './support/app';
import { setUpCampaign } from './support/campaign';
import { story } from './typed-client/story';

/** The story of test/typed-client/story.ts — a client generated from openapi/openapi.json — against the real API. */
describe('a client generated from the OpenAPI document', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('tells the whole story with typed calls and typed answers', async () => {
    const c = await setUpCampaign(t);
    const told = await story(
      baseUrl,
      { operator: t.operator, ministry: c.ministry, marketplace: c.shopee, police: c.police },
      'shopee.co.id',
    );
    expect(told).toEqual([
      expect.stringMatching(/^operator sees \d+ agencies$/),
      expect.stringMatching(/^keyword preloved \d+ at version \d+$/),
      expect.stringMatching(/^batch [0-9a-f-]{36}: 1 accepted$/),
      expect.stringMatching(/^marketplace sees link [0-9a-f-]{36} as pending$/),
      'acknowledged: taken_down',
      expect.stringMatching(/^ministry sees link [0-9a-f-]{36} as taken_down$/),
      expect.stringMatching(/^evidence request [0-9a-f-]{36} is \w+$/),
      expect.stringMatching(/^audit trail ok: true, \d+ events checked$/),
    ]);
  });
});
