import { createTestApp, TestApp } from '../support/app';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values.join(' '));
  }
  return map;
}

// Over plain HTTP, upgrade-insecure-requests makes the browser fetch /docs' scripts from an https:// nobody answers:
// a blank page from any host but localhost. It is sent only when the request came over TLS.
describe('Content-Security-Policy on /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('over plain HTTP: no upgrade-insecure-requests; styles and fonts from this origin; the rest of helmet kept', async () => {
    const res = await t.http.get('/docs/').expect(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('script-src-attr')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'self'");
    expect(csp.get('img-src')).toBe("'self' data:");
    // Swagger UI's stylesheet is its own file, with inline <style> blocks in the page; it uses no fonts.
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(csp.get('font-src')).toBe("'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('behind a trusted TLS proxy (X-Forwarded-Proto: https): upgrade-insecure-requests', async () => {
    const res = await t.http.get('/docs/').set('X-Forwarded-Proto', 'https').expect(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
    expect(csp.get('script-src')).toBe("'self'");
  });

  it('the API answers carry the same policy', async () => {
    const plain = await t.http.get('/health');
    expect(directives(plain.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(false);
    const tls = await t.http.get('/health').set('X-Forwarded-Proto', 'https');
    expect(directives(tls.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('Content-Security-Policy without TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('X-Forwarded-Proto from an untrusted peer does not count as TLS', async () => {
    const res = await t.http.get('/docs/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(directives(res.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(false);
  });
});
