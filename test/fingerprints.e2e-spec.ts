import sharp from 'sharp';
import phash from 'sharp-phash';
import { ImageHashing } from '../src/fingerprints/image-hashing';
import { hammingDistance, hashWords, phashBitsToHex } from '../src/matching/image-hash';
import { createTestApp, Party, TestApp } from './support/app';
import { expectProblem } from './support/problem';

/** A photo-like picture: a gradient, two shapes and a line of text, so its phash has something to say. */
async function picture(width = 640, height = 480): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2a4d8f"/><stop offset="1" stop-color="#e8c07a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${height * 0.22}" fill="#b03a2e"/>
    <rect x="${width * 0.55}" y="${height * 0.2}" width="${width * 0.3}" height="${height * 0.6}" fill="#1e8449"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const expectedHash = async (image: Buffer) => phashBitsToHex(await phash(image));

describe('POST /v1/fingerprints', () => {
  let t: TestApp;
  let marketplace: Party;
  let ministry: Party;
  let police: Party;
  let png: Buffer;

  beforeAll(async () => {
    t = await createTestApp();
    [marketplace, ministry, police] = await Promise.all([
      t.party('marketplace'),
      t.party('ministry'),
      t.party('police'),
    ]);
    png = await picture();
  });
  afterAll(() => t.close());

  const post = (party: Party | null, type: string, body: Buffer | string) => {
    const req = t.http.post('/v1/fingerprints').set('Content-Type', type);
    return (party ? req.set(party.auth) : req).send(body);
  };

  /** Every answer of this route leaves the audit log as it was: nothing is stored. */
  async function expectNoAudit(run: () => Promise<unknown>): Promise<void> {
    const before = await t.auditCount();
    await run();
    expect(await t.auditCount()).toBe(before);
  }

  it.each([
    ['image/png', (b: Buffer) => sharp(b).png().toBuffer()],
    ['image/jpeg', (b: Buffer) => sharp(b).jpeg({ quality: 90 }).toBuffer()],
    ['image/webp', (b: Buffer) => sharp(b).webp({ quality: 90 }).toBuffer()],
  ])('answers the phash sharp-phash computes for a %s', async (type, encode) => {
    const image = await encode(png);
    await expectNoAudit(async () => {
      const res = await post(marketplace, type, image);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ imageHashes: [{ algorithm: 'phash', hash: await expectedHash(image) }] });
    });
  });

  it('answers a recompressed, resized copy within a few bits of the original', async () => {
    const original = await post(ministry, 'image/png', png);
    const copy = await sharp(png).resize(320).jpeg({ quality: 35 }).toBuffer();
    const recompressed = await post(marketplace, 'image/jpeg', copy);
    expect([original.status, recompressed.status]).toEqual([200, 200]);
    const hash = (res: typeof original) =>
      hashWords((res.body as { imageHashes: { hash: string }[] }).imageHashes[0].hash);
    expect(hammingDistance(hash(original), hash(recompressed))).toBeLessThanOrEqual(4);
  });

  it('lets the operator hash too', async () => {
    expect((await post(t.operator, 'image/png', png)).status).toBe(200);
  });

  it('replays the answer under the same Idempotency-Key', async () => {
    const send = () =>
      t.http
        .post('/v1/fingerprints')
        .set(marketplace.auth)
        .set('Idempotency-Key', 'fingerprint-1')
        .set('Content-Type', 'image/png')
        .send(png);
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it.each([
    ['text/plain', 'hello'],
    ['application/json', '{"image":"aGVsbG8="}'],
    ['image/gif', 'GIF89a'],
  ])('refuses a %s body with 415', async (type, body) => {
    await expectNoAudit(async () => {
      const problem = expectProblem(await post(marketplace, type, body), 415);
      expect(problem.detail).toMatch(/image\/jpeg, image\/png or image\/webp/);
    });
  });

  it('refuses PNG bytes declared as image/jpeg with 415 naming both', async () => {
    const problem = expectProblem(await post(marketplace, 'image/jpeg', png), 415);
    expect(problem.detail).toMatch(/image\/png.*image\/jpeg/);
  });

  it('refuses a body over 10 MB with 413', async () => {
    const tooBig = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024 + 1 - png.length)]);
    await expectNoAudit(async () => expectProblem(await post(marketplace, 'image/png', tooBig), 413));
  });

  it('reads a body of exactly 10 MB (a PNG with trailing bytes decodes)', async () => {
    const atLimit = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024 - png.length)]);
    const res = await post(marketplace, 'image/png', atLimit);
    expect(res.status).not.toBe(413);
  });

  it.each([
    ['garbage bytes', 'image/jpeg', Buffer.from('not an image at all, just words')],
    ['a truncated JPEG', 'image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46])],
  ])('refuses %s with 422', async (_, type, body) => {
    await expectNoAudit(async () => {
      const problem = expectProblem(await post(marketplace, type, body), 422);
      expect(problem.detail).toMatch(/could not be decoded/);
    });
  });

  it('refuses an empty body with 422', async () => {
    const res = await t.http.post('/v1/fingerprints').set(marketplace.auth).set('Content-Type', 'image/png');
    expect(expectProblem(res, 422).detail).toMatch(/empty/);
  });

  it('refuses an image over 50 megapixels with 422 before decoding it', async () => {
    const huge = await sharp({ create: { width: 8000, height: 7000, channels: 3, background: '#808080' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(huge.length).toBeLessThan(10 * 1024 * 1024);
    await expectNoAudit(async () => {
      const problem = expectProblem(await post(marketplace, 'image/png', huge), 422);
      expect(problem.detail).toMatch(/8000 × 7000 pixels/);
    });
  });

  it('asks for a token first (401), reading no more than the unauthenticated limit', async () => {
    expectProblem(await post(null, 'image/png', png), 401);
    const big = Buffer.concat([png, Buffer.alloc(1024 * 1024)]);
    expectProblem(await post(null, 'image/png', big), 413);
  });

  it('refuses the police with 403', async () => {
    await expectNoAudit(async () => expectProblem(await post(police, 'image/png', png), 403));
  });
});

describe('POST /v1/fingerprints when hashing is busy', () => {
  let t: TestApp;
  let marketplace: Party;
  beforeAll(async () => {
    t = await createTestApp({ HEAVY_WORK_CONCURRENCY: '1', HEAVY_WORK_QUEUE: '0' });
    marketplace = await t.party('marketplace');
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After while the queue is full, and hashes again once it is not', async () => {
    const png = await picture(64, 64);
    let release!: () => void;
    const held = t.app.get(ImageHashing).run(() => new Promise<void>((resolve) => (release = resolve)));
    const send = () =>
      t.http.post('/v1/fingerprints').set(marketplace.auth).set('Content-Type', 'image/png').send(png);
    const busy = await send();
    expectProblem(busy, 503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    release();
    await held;
    expect((await send()).status).toBe(200);
  });
});
