import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyEvidencePackage } from '../src/cli/evidence-verifier';
import { readZip } from '../src/cli/verify-evidence';
import { createTestApp, Party, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { bytesOrProblem } from './support/binary';
import { expectProblem } from './support/problem';

describe('police evidence requests and packages', () => {
  let t: TestApp;
  let c: Campaign;
  let otherPolice: Party;
  let urls: string[];
  let linkIds: string[];
  let requestId: string;
  let jwks: string;

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    otherPolice = await t.party('police');
    urls = [shopeeUrl(), shopeeUrl(), tokopediaUrl(), shopeeUrl()];
    linkIds = (await submitBatch(t, c, urls)).links.map((l) => l.id);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            linkId: linkIds[0],
            status: 'taken_down',
            listing: { sellerRef: 'toko-bal-7', title: 'Kemeja bekas' },
          },
          { linkId: linkIds[1], status: 'taken_down', listing: { sellerRef: 'toko-bal-7' } },
        ],
      })
      .expect(200);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.tokopedia.auth)
      .send({ items: [{ linkId: linkIds[2], status: 'acknowledged' }] })
      .expect(200);
    jwks = JSON.stringify((await t.http.get('/v1/audit/keys').set(c.police.auth).expect(200)).body);
  });
  afterAll(() => t.close());

  const file = (party: Party, scope: object) =>
    t.http.post('/v1/evidence-requests').set(party.auth).send({
      caseNumber: 'LP/B/77/XI/2026',
      legalBasis: 'KUHAP Pasal 7',
      purpose: 'penyidikan impor pakaian bekas',
      scope,
    });
  const download = async (party: Party, id: string) =>
    t.http.get(`/v1/evidence-requests/${id}/export`).set(party.auth).buffer(true).parse(bytesOrProblem);

  it('files a request, resolving the scope once to a fixed set of links and addressing their marketplaces', async () => {
    const before = await t.auditCount();
    const res = await file(c.police, {
      sellerRefs: ['toko-bal-7'],
      urls: [urls[2].replace('https://www.', 'https://M.')],
    }).expect(201);
    requestId = res.body.id;
    expect(res.body).toEqual(
      expect.objectContaining({ status: 'submitted', linkCount: 3, policeAgencyId: c.police.agencyId }),
    );
    expect(
      res.body.marketplaces
        .map((m: { marketplaceId: string; decision: null }) => [m.marketplaceId, m.decision])
        .sort(),
    ).toEqual(
      [
        [c.shopee.marketplaceId, null],
        [c.tokopedia.marketplaceId, null],
      ].sort(),
    );
    expect(await t.auditCount()).toBe(before + 1);
    // A link that later matches the scope does not join the request.
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: linkIds[3], status: 'taken_down', listing: { sellerRef: 'toko-bal-7' } }] })
      .expect(200);
    expect((await t.http.get(`/v1/evidence-requests/${requestId}`).set(c.police.auth)).body.linkCount).toBe(
      3,
    );
  });

  it('refuses a scope that matches nothing (422) or names nothing (400), writing nothing', async () => {
    const before = await t.auditCount();
    expectProblem(await file(c.police, { sellerRefs: ['nobody'] }), 422);
    expectProblem(await file(c.police, { from: '2026-01-01T00:00:00Z' }), 400);
    expectProblem(await file(c.police, { linkIds: ['nope'] }), 400);
    for (const scope of [undefined, null, 'everything', ['a'], 7]) {
      const body = expectProblem(await file(c.police, scope as object), 400);
      expect(JSON.stringify(body.errors)).toContain('scope');
    }
    expect(await t.auditCount()).toBe(before);
  });

  it('shows each party only what the contract allows', async () => {
    expectProblem(await t.http.get(`/v1/evidence-requests/${requestId}`).set(otherPolice.auth), 404);
    expect((await t.http.get('/v1/evidence-requests').set(otherPolice.auth).expect(200)).body.items).toEqual(
      [],
    );
    expectProblem(await t.http.get(`/v1/evidence-requests/${requestId}`).set(c.association.auth), 403);
    expectProblem(await file(c.ministry, { sellerRefs: ['toko-bal-7'] }), 403);
    const shopeeView = (await t.http.get(`/v1/evidence-requests/${requestId}`).set(c.shopee.auth).expect(200))
      .body;
    expect(shopeeView.marketplaces.map((m: { marketplaceId: string }) => m.marketplaceId)).toEqual([
      c.shopee.marketplaceId,
    ]);
    expect(shopeeView.linkCount).toBe(2);
    for (const party of [c.ministry, t.operator]) {
      const meta = (await t.http.get(`/v1/evidence-requests/${requestId}`).set(party.auth).expect(200)).body;
      expect(meta.marketplaces.every((m: object) => !('sellerRecords' in m))).toBe(true);
    }
  });

  it('keeps every route with a request id closed to a marketplace not addressed and to another police agency (404)', async () => {
    const shopeeOnly = (await file(c.police, { linkIds: [linkIds[0]] }).expect(201)).body.id as string;
    const before = await t.auditCount();
    const url = `/v1/evidence-requests/${shopeeOnly}`;
    expectProblem(await t.http.get(url).set(c.tokopedia.auth), 404);
    expectProblem(
      await t.http.post(`${url}/responses`).set(c.tokopedia.auth).send({ decision: 'decline', reason: 'x' }),
      404,
    );
    expect(
      (await t.http.get('/v1/evidence-requests').set(c.tokopedia.auth).expect(200)).body.items.map(
        (r: { id: string }) => r.id,
      ),
    ).not.toContain(shopeeOnly);
    expectProblem(await t.http.get(url).set(otherPolice.auth), 404);
    expectProblem(await t.http.post(`${url}/close`).set(otherPolice.auth), 404);
    expectProblem(await download(otherPolice, shopeeOnly), 404);
    expectProblem(
      await t.http.post(`${url}/responses`).set(otherPolice.auth).send({ decision: 'fulfil' }),
      403,
    );
    expect(await t.auditCount()).toBe(before);
    await t.http.post(`${url}/close`).set(c.police.auth).expect(200);
  });

  it('takes one answer per marketplace and moves the request to ready', async () => {
    const before = await t.auditCount();
    const answer = (party: Party, body: object) =>
      t.http.post(`/v1/evidence-requests/${requestId}/responses`).set(party.auth).send(body);
    const first = await answer(c.shopee, {
      decision: 'fulfil',
      sellerRecords: [
        {
          sellerRef: 'toko-bal-7',
          registeredName: 'CV Bal Jaya',
          contact: '+62 812 0000 0007',
          address: 'Jl. Pasar Baru 7, Bandung',
        },
      ],
    }).expect(201);
    expect(first.body.status).toBe('in_review');
    expectProblem(await download(c.police, requestId), 409);
    expectProblem(await answer(c.shopee, { decision: 'decline', reason: 'changed our mind' }), 409);
    expectProblem(await answer(c.tokopedia, { decision: 'decline' }), 400);
    expectProblem(await answer(c.tokopedia, { decision: 'fulfil' }), 400);
    const last = await answer(c.tokopedia, {
      decision: 'decline',
      reason: 'no seller data retained for this listing',
    }).expect(201);
    expect(last.body.status).toBe('ready');
    expect(await t.auditCount()).toBe(before + 2);
    const police = (await t.http.get(`/v1/evidence-requests/${requestId}`).set(c.police.auth)).body;
    expect(
      police.marketplaces.find((m: { decision: string }) => m.decision === 'fulfil').sellerRecords[0]
        .registeredName,
    ).toBe('CV Bal Jaya');
    const ministry = (await t.http.get(`/v1/evidence-requests/${requestId}`).set(c.ministry.auth)).body;
    expect(JSON.stringify(ministry)).not.toContain('CV Bal Jaya');
  });

  it('exports a signed package that verifies offline, and records the download with its SHA-256', async () => {
    const before = await t.auditCount();
    const res = await download(c.police, requestId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const body = res.body as Buffer;
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(res.headers['x-package-sha256']).toBe(sha256);
    expect(await t.auditCount()).toBe(before + 1);
    const [event] = await t.db.query(
      `SELECT canonical FROM audit_events WHERE action = 'evidence_request.exported' ORDER BY seq DESC LIMIT 1`,
    );
    expect(JSON.parse(event.canonical).data.sha256).toBe(sha256);
    expectProblem(await download(otherPolice, requestId), 404);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'pkg-'));
    const zip = path.join(dir, 'p.zip');
    writeFileSync(zip, body);
    const entries = await readZip(zip);
    expect([...entries.keys()].sort()).toEqual([
      'README.txt',
      'audit-events.jsonl',
      'keys.json',
      'links.csv',
      'links.jsonl',
      'manifest.json',
      'manifest.sig',
      'seller-records.jsonl',
    ]);
    const report = verifyEvidencePackage(entries, jwks);
    expect(report.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    // Tokopedia declined: its link (linkIds[2]) and everything about it are withheld, and the manifest says so.
    expect(report).toEqual(expect.objectContaining({ ok: true, links: 2 }));
    expect(entries.get('seller-records.jsonl')!.toString()).toContain('CV Bal Jaya');
    expect(entries.get('links.jsonl')!.toString()).not.toContain(linkIds[3]);
    for (const name of entries.keys()) expect(entries.get(name)!.toString()).not.toContain(linkIds[2]);
    expect(JSON.parse(entries.get('manifest.json')!.toString()).withheld).toEqual([
      { marketplaceId: c.tokopedia.marketplaceId, linkCount: 1 },
    ]);

    // Every tampering is refused.
    const refused = (mutated: Map<string, Buffer>, key = jwks) =>
      expect(verifyEvidencePackage(mutated, key).ok).toBe(false);
    const withFile = (name: string, content: Buffer) => new Map([...entries, [name, content]]);
    for (const name of entries.keys()) {
      if (name === 'keys.json') continue;
      const copy = Buffer.from(entries.get(name)!);
      copy[Math.floor(copy.length / 2)] ^= 0x01;
      refused(withFile(name, copy));
    }
    const eventLines = entries.get('audit-events.jsonl')!.toString().split('\n').filter(Boolean);
    refused(withFile('audit-events.jsonl', Buffer.from(eventLines.slice(1).join('\n') + '\n')));
    refused(
      withFile(
        'audit-events.jsonl',
        Buffer.from([eventLines[1], eventLines[0], ...eventLines.slice(2)].join('\n') + '\n'),
      ),
    );
    const altered = JSON.parse(eventLines[0]);
    altered.inclusionProof[0] = 'ff'.repeat(32);
    refused(
      withFile(
        'audit-events.jsonl',
        Buffer.from([JSON.stringify(altered), ...eventLines.slice(1)].join('\n') + '\n'),
      ),
    );
    const other = generateKeyPairSync('ed25519');
    const otherJwk = JSON.stringify({
      keys: [
        {
          ...(other.publicKey.export({ format: 'jwk' }) as object),
          kid: JSON.parse(entries.get('manifest.json')!.toString()).keyId,
        },
      ],
    });
    refused(entries, otherJwk);
    refused(
      withFile(
        'manifest.sig',
        Buffer.from(sign(null, entries.get('manifest.json')!, other.privateKey).toString('base64')),
      ),
      otherJwk,
    );
    const edited = Buffer.from(
      entries.get('manifest.json')!.toString().replace('LP/B/77/XI/2026', 'LP/B/78/XI/2026'),
    );
    refused(withFile('manifest.json', edited));
    refused(withFile('links.jsonl', Buffer.from('{not json\n')));
    refused(withFile('manifest.json', Buffer.from('{"files": 7}')));
    refused(new Map([...entries].filter(([name]) => name !== 'audit-events.jsonl')));
  });

  it('lists the links a request covers: a marketplace its own, the police all with seller data of fulfilled parts', async () => {
    const linksOf = (party: Party, query = '') =>
      t.http.get(`/v1/evidence-requests/${requestId}/links${query}`).set(party.auth);
    const shopee = (await linksOf(c.shopee).expect(200)).body;
    expect(shopee.nextCursor).toBeNull();
    expect(shopee.items.map((i: { linkId: string }) => i.linkId).sort()).toEqual(
      [linkIds[0], linkIds[1]].sort(),
    );
    expect(shopee.items[0]).toEqual({
      linkId: expect.any(String),
      marketplaceId: c.shopee.marketplaceId,
      url: expect.any(String),
      listingKey: expect.any(String),
      sellerRef: 'toko-bal-7',
      status: 'taken_down',
    });
    // Tokopedia declined, yet sees its own link with its own seller data.
    const tokopedia = (await linksOf(c.tokopedia).expect(200)).body.items;
    expect(tokopedia).toEqual([expect.objectContaining({ linkId: linkIds[2], status: 'acknowledged' })]);

    const police = (await linksOf(c.police).expect(200)).body.items as {
      linkId: string;
      sellerRef: string | null;
    }[];
    expect(police.map((i) => i.linkId).sort()).toEqual(linkIds.slice(0, 3).sort());
    for (const item of police) expect(item.sellerRef).toBe(item.linkId === linkIds[2] ? null : 'toko-bal-7');

    const first = (await linksOf(c.police, '?limit=2').expect(200)).body;
    expect(first.items).toHaveLength(2);
    const rest = (await linksOf(c.police, `?limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect([...first.items, ...rest.items].map((i: { linkId: string }) => i.linkId)).toEqual(
      police.map((i) => i.linkId),
    );
    expect(rest.nextCursor).toBeNull();

    expectProblem(await linksOf(await t.party('marketplace')), 404);
    expectProblem(await linksOf(otherPolice), 404);
    expectProblem(await linksOf(c.ministry), 403);
    expectProblem(await linksOf(t.operator), 403);
    expectProblem(await linksOf(c.police, '?cursor=WyJ6enoiXQ'), 400);
  });

  it('keeps answers and closing consistent in PostgreSQL itself, whatever the code does', async () => {
    const id = (await file(c.police, { linkIds: [linkIds[1]] }).expect(201)).body.id as string;
    const answer = (set: string) =>
      t.db.query(`UPDATE evidence_responses SET ${set} WHERE request_id = $1`, [id]);
    const violates = { driverError: expect.objectContaining({ code: '23514' }) };
    await expect(answer(`decision = 'decline', responded_at = now()`)).rejects.toMatchObject(violates);
    await expect(answer(`decision = 'fulfil', responded_at = now()`)).rejects.toMatchObject(violates);
    await expect(answer(`decision = 'decline', reason = 'x'`)).rejects.toMatchObject(violates);
    await expect(answer(`reason = 'x'`)).rejects.toMatchObject(violates);
    await expect(
      t.db.query(`UPDATE evidence_requests SET status = 'closed' WHERE id = $1`, [id]),
    ).rejects.toMatchObject(violates);
    await expect(
      t.db.query(`UPDATE evidence_requests SET closed_at = now() WHERE id = $1`, [id]),
    ).rejects.toMatchObject(violates);
    await t.http.post(`/v1/evidence-requests/${id}/close`).set(c.police.auth).expect(200);
  });

  it('closes once, and refuses everything but reading after expiry (410) while keeping the events', async () => {
    const res = await file(c.police, { linkIds: [linkIds[0]] }).expect(201);
    const id = res.body.id as string;
    await t.db.query(`UPDATE evidence_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    expect((await t.http.get(`/v1/evidence-requests/${id}`).set(c.police.auth).expect(200)).body.status).toBe(
      'expired',
    );
    expectProblem(
      await t.http
        .post(`/v1/evidence-requests/${id}/responses`)
        .set(c.shopee.auth)
        .send({ decision: 'decline', reason: 'x' }),
      410,
    );
    expectProblem(await download(c.police, id), 410);
    const events = (await t.http.get(`/v1/audit-events?entityId=${id}`).set(c.police.auth).expect(200)).body
      .items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['evidence_request.filed']);

    const before = await t.auditCount();
    const closed = await t.http
      .post(`/v1/evidence-requests/${requestId}/close`)
      .set(c.police.auth)
      .expect(200);
    expect(closed.body.status).toBe('closed');
    expectProblem(await t.http.post(`/v1/evidence-requests/${requestId}/close`).set(c.police.auth), 409);
    expectProblem(await t.http.post(`/v1/evidence-requests/${requestId}/close`).set(otherPolice.auth), 404);
    expect(await t.auditCount()).toBe(before + 1);
  });
});
