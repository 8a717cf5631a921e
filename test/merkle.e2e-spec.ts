import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyCheckpoint } from '../src/audit/checkpoint-note';
import { InMemoryMerkleTree, verifyConsistency, verifyInclusion } from '../src/audit/merkle';
import { createTestApp, TestApp } from './support/app';
import { batch, Campaign, setUpCampaign, shopeeUrl } from './support/campaign';
import { expectProblem } from './support/problem';

describe('Merkle tree, proofs and checkpoints over the audit trail', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch(Array.from({ length: 230 }, () => shopeeUrl())))
      .expect(201);
  });
  afterAll(() => t.close());

  const reference = async () => {
    const rows: { entry_hash: Buffer }[] = await t.db.query(
      'SELECT entry_hash FROM audit_events ORDER BY seq',
    );
    const tree = new InMemoryMerkleTree();
    for (const r of rows) tree.append(r.entry_hash);
    return tree;
  };
  const hex = (hs: Buffer[]) => hs.map((h) => h.toString('hex'));
  let seed = 11;
  const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;

  it('serves inclusion proofs equal to an independent in-memory tree, for many sizes', async () => {
    const ref = await reference();
    const n = ref.size;
    expect(n).toBeGreaterThan(240);
    const sizes = [
      1,
      2,
      3,
      15,
      16,
      17,
      64,
      100,
      128,
      129,
      n - 1,
      n,
      ...Array.from({ length: 8 }, () => 1 + rnd(n)),
    ];
    for (const size of sizes) {
      const seq = 1 + rnd(size);
      const res = await t.http
        .get(`/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${size}`)
        .set(c.police.auth)
        .expect(200);
      expect(res.body.hashes).toEqual(hex(ref.inclusionProof(seq - 1, size)));
      expect(res.body).toEqual(expect.objectContaining({ seq, leafIndex: seq - 1, treeSize: size }));
      const proof = (res.body.hashes as string[]).map((h) => Buffer.from(h, 'hex'));
      expect(
        verifyInclusion(seq - 1, size, Buffer.from(res.body.entryHash, 'hex'), proof, ref.root(size)),
      ).toBe(true);
    }
  });

  it('serves consistency proofs equal to the in-memory tree', async () => {
    const ref = await reference();
    for (let k = 0; k < 12; k++) {
      const to = 1 + rnd(ref.size);
      const from = 1 + rnd(to);
      const res = await t.http
        .get(`/v1/audit/proofs/consistency?from=${from}&to=${to}`)
        .set(c.shopee.auth)
        .expect(200);
      expect(res.body.hashes).toEqual(hex(ref.consistencyProof(from, to)));
      expect(
        verifyConsistency(
          from,
          to,
          ref.root(from),
          ref.root(to),
          (res.body.hashes as string[]).map((h) => Buffer.from(h, 'hex')),
        ),
      ).toBe(true);
    }
  });

  it('signs checkpoints with the published Ed25519 key; each later one is consistent with the earlier', async () => {
    const keys = (await t.http.get('/v1/audit/keys').set(c.association.auth).expect(200)).body.keys;
    expect(keys).toEqual([
      expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: expect.any(String), x: expect.any(String) }),
    ]);
    const publicKey = createPublicKey({ key: keys[0], format: 'jwk' });
    const first = (await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200)).body;
    expect(verifyCheckpoint(first, publicKey)).toBe(true);
    expect(first.keyId).toBe(keys[0].kid);
    const ref1 = await reference();
    expect(first.treeSize).toBe(ref1.size);
    expect(first.rootHash).toBe(ref1.root().toString('hex'));
    const again = (await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200)).body;
    expect(again).toEqual(first);

    await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch([shopeeUrl(), shopeeUrl()]))
      .expect(201);
    const second = (await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200)).body;
    expect(second.treeSize).toBe(first.treeSize + 3);
    expect(verifyCheckpoint(second, publicKey, first)).toBe(true);
    const proof = (
      await t.http
        .get(`/v1/audit/proofs/consistency?from=${first.treeSize}&to=${second.treeSize}`)
        .set(c.police.auth)
        .expect(200)
    ).body;
    const hashes = (proof.hashes as string[]).map((h) => Buffer.from(h, 'hex'));
    expect(
      verifyConsistency(
        first.treeSize,
        second.treeSize,
        Buffer.from(first.rootHash, 'hex'),
        Buffer.from(second.rootHash, 'hex'),
        hashes,
      ),
    ).toBe(true);
    expect(
      (await t.http.get(`/v1/audit/checkpoints/${first.treeSize}`).set(c.police.auth).expect(200)).body,
    ).toEqual(first);
    expectProblem(await t.http.get('/v1/audit/checkpoints/999999').set(c.police.auth), 404);
    expectProblem(await t.http.get('/v1/audit/checkpoints/abc').set(c.police.auth), 400);
  });

  it.each(['audit_checkpoints', 'audit_merkle_nodes'])(
    'keeps %s append-only in PostgreSQL',
    async (table) => {
      await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200);
      await expect(t.db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(
        t.db.query(
          `UPDATE ${table} SET hash = hash`.replace(
            'hash = hash',
            table === 'audit_checkpoints' ? 'note = note' : 'hash = hash',
          ),
        ),
      ).rejects.toThrow(/append-only/);
      await expect(t.db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    },
  );

  it('refuses proofs outside the tree', async () => {
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM audit_events');
    expectProblem(await t.http.get(`/v1/audit/proofs/inclusion?seq=5&treeSize=4`).set(c.police.auth), 400);
    expectProblem(
      await t.http.get(`/v1/audit/proofs/inclusion?seq=1&treeSize=${n + 10}`).set(c.police.auth),
      404,
    );
    expectProblem(await t.http.get(`/v1/audit/proofs/inclusion?seq=0&treeSize=4`).set(c.police.auth), 400);
    expectProblem(await t.http.get(`/v1/audit/proofs/consistency?from=5&to=4`).set(c.police.auth), 400);
    expectProblem(await t.http.get('/v1/audit/proofs/inclusion').set(c.police.auth), 400);
  });
});

describe('retired audit keys', () => {
  it('publishes retired audit keys beside the current one, so checkpoints and packages signed before a rotation still verify', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'retired-'));
    const old = generateKeyPairSync('ed25519');
    const file = path.join(dir, 'audit-2025.pem');
    writeFileSync(file, old.publicKey.export({ type: 'spki', format: 'pem' }));
    const t = await createTestApp({ AUDIT_RETIRED_KEY_FILES: file });
    try {
      const c = await setUpCampaign(t);
      const keys = (await t.http.get('/v1/audit/keys').set(c.police.auth).expect(200)).body.keys as {
        kid: string;
        x: string;
      }[];
      const oldX = (old.publicKey.export({ format: 'jwk' }) as { x: string }).x;
      expect(keys).toHaveLength(2);
      expect(keys.map((k) => k.x)).toContain(oldX);
      const latest = (await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200)).body;
      expect(keys[0].kid).toBe(latest.keyId); // the signing key comes first
      expect(new Set(keys.map((k) => k.kid)).size).toBe(2);
    } finally {
      await t.close();
    }
  });
});
