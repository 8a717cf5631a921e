import { existsSync, readFileSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { OPENAPI_FILE } from '../../src/openapi/document';
import { createTestApp, TestApp } from '../support/app';
import { freePort } from '../support/tooling';

/**
 * Swagger UI as a person meets it, in a real Chromium: the page renders every operation, Authorize turns a client id
 * and secret into a token at the oauth2 scheme's tokenUrl, and "Try it out" makes a call with it.
 */
const CHROMIUM = (
  process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser']
).find((candidate) => existsSync(candidate));
if (!CHROMIUM) {
  console.warn(
    `SKIPPED test/browser/swagger-ui.browser-spec.ts: no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}
// Without Chromium the tests of this file are reported as skipped, after the notice above; not as failures.
const describeWithChromium = CHROMIUM ? describe : describe.skip;

// Not localhost: a browser treats loopback names as secure, which would hide what plain HTTP from another host does
// (upgrade-insecure-requests blanked the page there). Chromium resolves this name to the test server's address.
const HOST = 'docs.takedown.test';

const COOP_IGNORED = 'The Cross-Origin-Opener-Policy header has been ignored';

/** The operations of the document /docs serves (the committed openapi/openapi.json). */
function servedOperations(): number {
  const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: Record<string, object> };
  const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
  return Object.values(doc.paths).reduce(
    (n, item) => n + Object.keys(item).filter((key) => methods.has(key)).length,
    0,
  );
}

describeWithChromium('Swagger UI at /docs in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  /** What the page reported that a person would see as breakage: CSP refusals, script errors, failed loads. */
  const troubles: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const port = await freePort();
    await t.app.listen(port, '127.0.0.1');
    origin = `http://${HOST}:${port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
    });
    page = await browser.newPage();
    page.on('console', (message) => {
      // Helmet's Cross-Origin-Opener-Policy means nothing to a browser over plain HTTP, which says so as an error.
      if (message.type() === 'error' && !message.text().startsWith(COOP_IGNORED))
        troubles.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => troubles.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) =>
      troubles.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders every operation of the document over plain HTTP, with nothing refused by its CSP', async () => {
    const res = await page.goto(`${origin}/docs`);
    expect(res?.status()).toBe(200);
    await page
      .locator('.opblock')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch((error: Error) => {
        throw new Error(`${error.message}\nThe page reported:\n${troubles.join('\n')}`);
      });
    await expect(page.locator('.opblock').count()).resolves.toBe(servedOperations());
    await expect(page.locator('.info .title').innerText()).resolves.toContain('Takedown Exchange API');
    expect(troubles).toEqual([]);
  }, 60_000);

  it('Authorize with a client id and secret obtains a token from the oauth2 tokenUrl', async () => {
    await page.locator('.scheme-container .btn.authorize').click();
    const oauth2 = page.locator('.auth-container', { hasText: 'clientCredentials' });
    await expect(oauth2.innerText()).resolves.toContain('operator-credentials.json');
    await oauth2.locator('input[data-name="clientId"]').fill(t.operator.clientId);
    await oauth2.locator('input[data-name="clientSecret"]').fill(t.operator.clientSecret);
    const tokenResponse = page.waitForResponse((r) => r.url() === `${origin}/v1/auth/token`);
    await oauth2.locator('button.authorize').click();
    const token = await tokenResponse;
    expect(token.status()).toBe(200);
    // Swagger UI sends client credentials as HTTP Basic (client_secret_basic) and nothing else.
    expect(token.request().headers()['authorization']).toMatch(/^Basic /);
    await oauth2.getByRole('button', { name: 'Remove authorization' }).waitFor({ timeout: 10_000 });
    await expect(oauth2.locator('h6').innerText()).resolves.toBe('Authorized');
    await page.locator('.dialog-ux button.close-modal').click();
    expect(troubles).toEqual([]);
  }, 60_000);

  it('Try it out: GET /v1/agencies as the operator answers 200 with the token', async () => {
    const operation = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path[data-path="/v1/agencies"]'),
    });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    const call = page.waitForResponse(
      // The query carries the parameters' defaults (?limit=100).
      (r) => r.url().split('?')[0] === `${origin}/v1/agencies` && r.request().method() === 'GET',
    );
    await operation.locator('button.execute').click();
    const res = await call;
    expect(res.status()).toBe(200);
    expect(res.request().headers()['authorization']).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const body = JSON.stringify(await res.json());
    expect(body).toContain(t.operator.agencyId);
    // What the person sees: the server's answer under "Server response".
    const shown = operation.locator('.live-responses-table tbody .response-col_status');
    await shown.waitFor({ timeout: 10_000 });
    const [status, ...notes] = (await shown.innerText()).split('\n');
    expect(status).toBe('200');
    // "Undocumented" would mean the document lets a person make a call whose answer it does not describe.
    expect(notes).not.toContain('Undocumented');
    expect(troubles).toEqual([]);
  }, 60_000);
});
