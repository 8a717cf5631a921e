import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { verifyEvidencePackage } from '../src/cli/evidence-verifier';
import { readZip } from '../src/cli/verify-evidence';
import { TestApp } from './support/app';
import { createAppRoleApp } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { bytesOrProblem } from './support/binary';
import { expectProblem } from './support/problem';

const FORMULA = "=cmd|' /C calc'!A0";
const BIDI_TITLE = 'Kemeja \u202Egpj.exe';

/**
 * Someone with the application role's grants edits the rows a package is built from; someone with superuser edits
 * the audit trail itself. Each edit must be refused at export (naming the item) or by the verifier.
 */
describe('evidence that cannot lie: tampering with what a package is built from', () => {
  let t: TestApp;
  let c: Campaign;
  let owner: Client;
  let links: string[];
  let requestId: string;
  let jwks: string;

  beforeAll(async () => {
    ({ t, owner } = await createAppRoleApp());
    c = await setUpCampaign(t);
    // links[4] stays out of the request.
    const urls = [shopeeUrl(), shopeeUrl(), shopeeUrl(), tokopediaUrl(), shopeeUrl()];
    links = (await submitBatch(t, c, urls)).links.map((l) => l.id);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            linkId: links[0],
            status: 'taken_down',
            listing: { sellerRef: 'toko-bal-7', sellerName: 'Toko Bal', title: 'Kemeja bekas' },
          },
          { linkId: links[1], status: 'rejected', reason: 'not a used-clothing listing' },
          { linkId: links[2], status: 'taken_down', listing: { sellerRef: FORMULA, title: BIDI_TITLE } },
        ],
      })
      .expect(200);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.tokopedia.auth)
      .send({ items: [{ linkId: links[3], status: 'acknowledged', listing: { sellerRef: 'toped-seller' } }] })
      .expect(200);
    requestId = (
      await t.http
        .post('/v1/evidence-requests')
        .set(c.police.auth)
        .send({
          caseNumber: 'LP/B/90/XII/2026',
          legalBasis: 'KUHAP Pasal 7',
          purpose: 'penyidikan',
          scope: { linkIds: links.slice(0, 4) },
        })
        .expect(201)
    ).body.id;
    await t.http
      .post(`/v1/evidence-requests/${requestId}/responses`)
      .set(c.shopee.auth)
      .send({
        decision: 'fulfil',
        sellerRecords: [{ sellerRef: 'toko-bal-7', registeredName: 'CV Bal Jaya' }],
      })
      .expect(201);
    await t.http
      .post(`/v1/evidence-requests/${requestId}/responses`)
      .set(c.tokopedia.auth)
      .send({ decision: 'decline', reason: 'no court order' })
      .expect(201);
    jwks = JSON.stringify((await t.http.get('/v1/audit/keys').set(c.police.auth).expect(200)).body);
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  const download = () =>
    t.http
      .get(`/v1/evidence-requests/${requestId}/export`)
      .set(c.police.auth)
      .buffer(true)
      .parse(bytesOrProblem);

  async function entriesOf(body: Buffer): Promise<Map<string, Buffer>> {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tamper-')), 'evidence.zip');
    writeFileSync(file, body);
    return readZip(file);
  }

  /** The export refuses while the edit stands, names the item, writes no download event; the owner undoes it after. */
  async function refusedAtExport(edit: string, undo: string, detail: RegExp, as: 'app' | 'superuser') {
    await (as === 'app' ? t.db.query(edit) : owner.query(edit));
    try {
      const before = await t.auditCount();
      const res = await download();
      const problem = expectProblem(res, 409);
      expect(problem.type).toMatch(/evidence-integrity$/);
      expect(problem.detail).toMatch(detail);
      expect(await t.auditCount()).toBe(before);
    } finally {
      await owner.query(undo);
    }
  }

  it('ships an untouched package that verifies, withholding the declining marketplace entirely', async () => {
    const res = await download().expect(200);
    const entries = await entriesOf(res.body as Buffer);
    const report = verifyEvidencePackage(entries, jwks);
    expect(report.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(report).toEqual(expect.objectContaining({ ok: true, links: 3 }));
    // Nothing of the declined part: neither its link, nor its listing, nor its events (only the request's own filing
    // event names the link, as the police typed it into the scope).
    for (const name of ['links.jsonl', 'links.csv', 'seller-records.jsonl'])
      expect(entries.get(name)!.toString()).not.toContain(links[3]);
    for (const [, content] of entries) expect(content.toString()).not.toContain('toped-seller');
    const entities = entries
      .get('audit-events.jsonl')!
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(JSON.parse(l).canonical).entity.id);
    expect(entities).not.toContain(links[3]);
    expect(JSON.parse(entries.get('manifest.json')!.toString()).withheld).toEqual([
      { marketplaceId: c.tokopedia.marketplaceId, linkCount: 1 },
    ]);
  });

  it('writes links.csv that a spreadsheet shows as text: no live formula, bidirectional controls visible', async () => {
    const entries = await entriesOf((await download().expect(200)).body as Buffer);
    const csv = entries.get('links.csv')!.toString('utf8');
    // A byte-order mark, so a spreadsheet opens the file as UTF-8 rather than its locale's code page.
    expect(csv.startsWith('\ufeffid,')).toBe(true);
    expect(csv).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    const rows: string[][] = parse(csv, { bom: true, relax_column_count: false });
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const header = rows[0];
    const formulaRow = rows.find((r) => r[header.indexOf('id')] === links[2])!;
    expect(formulaRow[header.indexOf('sellerRef')]).toBe(`'${FORMULA}`);
    expect(formulaRow[header.indexOf('title')]).toBe('Kemeja <U+202E>gpj.exe');
    // The raw values stay exact in links.jsonl.
    const line = entries
      .get('links.jsonl')!
      .toString()
      .split('\n')
      .find((l) => l.includes(links[2]))!;
    expect(JSON.parse(line)).toEqual(
      expect.objectContaining({ sellerRef: FORMULA, listing: { sellerRef: FORMULA, title: BIDI_TITLE } }),
    );
  });

  describe('edited rows are refused at export, naming the item (with the application role’s grants where they allow it)', () => {
    it.each<[string, string, string, RegExp, ('app' | 'superuser')?]>([
      [
        'a rejected link made taken_down with a forged seller',
        `UPDATE links SET status = 'taken_down', listing = '{"sellerRef":"FORGED-SELLER"}', seller_ref = 'FORGED-SELLER' WHERE id = '$1'`,
        `UPDATE links SET status = 'rejected', listing = NULL, seller_ref = NULL WHERE id = '$1'`,
        /link \$1: status is "taken_down" in the database but "rejected"/,
      ],
      [
        'the listing evidence',
        `UPDATE links SET listing = listing || '{"sellerName":"FORGED NAME"}' WHERE id = '$0'`,
        `UPDATE links SET listing = listing - 'sellerName' || '{"sellerName":"Toko Bal"}' WHERE id = '$0'`,
        /link \$0: listing is .*FORGED NAME/,
      ],
      [
        'the seller ref column',
        `UPDATE links SET seller_ref = 'someone-else' WHERE id = '$0'`,
        `UPDATE links SET seller_ref = 'toko-bal-7' WHERE id = '$0'`,
        /link \$0: sellerRef/,
      ],
      [
        'the note',
        `UPDATE links SET note = 'planted' WHERE id = '$0'`,
        `UPDATE links SET note = NULL WHERE id = '$0'`,
        /link \$0: note is "planted"/,
      ],
      [
        'the url',
        `UPDATE links SET url = 'https://shopee.co.id/other-i.9.9' WHERE id = '$0'`,
        `UPDATE links SET url = (SELECT url FROM links WHERE id = '$0') WHERE FALSE`,
        /link \$0: url/,
      ],
      [
        'the time the marketplace acted',
        `UPDATE links SET resolved_at = resolved_at - interval '3 days' WHERE id = '$2'`,
        `UPDATE links SET resolved_at = resolved_at + interval '3 days' WHERE id = '$2'`,
        /link \$2: resolvedAt/,
      ],
      [
        'the seller records of a fulfilling answer',
        `UPDATE evidence_responses SET seller_records = '[{"sellerRef":"toko-bal-7","registeredName":"FORGED NAME"}]' WHERE request_id = '$R' AND decision = 'fulfil'`,
        `UPDATE evidence_responses SET seller_records = '[{"sellerRef":"toko-bal-7","registeredName":"CV Bal Jaya"}]' WHERE request_id = '$R' AND decision = 'fulfil'`,
        /seller records of marketplace \$S: sellerRecordsSha256/,
      ],
      [
        'the salt of the seller records',
        `UPDATE evidence_responses SET seller_records_salt = repeat('0', 64) WHERE request_id = '$R' AND decision = 'fulfil'`,
        `SELECT 1`,
        /seller records of marketplace \$S/,
      ],
      [
        'a decline turned into fulfil',
        `UPDATE evidence_responses SET decision = 'fulfil', seller_records = '[]' WHERE request_id = '$R' AND marketplace_id = '$T'`,
        `UPDATE evidence_responses SET decision = 'decline', seller_records = NULL WHERE request_id = '$R' AND marketplace_id = '$T'`,
        /marketplace \$T: decision is "fulfil" in the database but "decline"/,
      ],
      [
        'a link slipped into the request',
        `INSERT INTO evidence_request_links (request_id, link_id, marketplace_id) VALUES ('$R', '$4', '$S')`,
        `DELETE FROM evidence_request_links WHERE request_id = '$R' AND link_id = '$4'`,
        /marketplace \$S: links in scope is 4 in the database but 3/,
      ],
      [
        'a link dropped from the request (superuser: the role may not delete)',
        `DELETE FROM evidence_request_links WHERE request_id = '$R' AND link_id = '$0'`,
        `INSERT INTO evidence_request_links (request_id, link_id, marketplace_id) VALUES ('$R', '$0', '$S')`,
        /marketplace \$S: links in scope is 2 in the database but 3/,
        'superuser',
      ],
      [
        'a link swapped for another of the same marketplace (superuser)',
        `UPDATE evidence_request_links SET link_id = '$4' WHERE request_id = '$R' AND link_id = '$0'`,
        `UPDATE evidence_request_links SET link_id = '$0' WHERE request_id = '$R' AND link_id = '$4'`,
        /marketplace \$S: links in scope is "another set of links"/,
        'superuser',
      ],
      [
        'a declined link moved into the fulfilled part (superuser)',
        `UPDATE evidence_request_links SET marketplace_id = '$S' WHERE request_id = '$R' AND link_id = '$3'`,
        `UPDATE evidence_request_links SET marketplace_id = '$T' WHERE request_id = '$R' AND link_id = '$3'`,
        // Either part is found first, depending on the order of the marketplaces' ids.
        /marketplace [0-9a-f-]+: links in scope is (0 in the database but 1|4 in the database but 3)/,
        'superuser',
      ],
      [
        'the case number',
        `UPDATE evidence_requests SET case_number = 'LP/B/91/XII/2026' WHERE id = '$R'`,
        `UPDATE evidence_requests SET case_number = 'LP/B/90/XII/2026' WHERE id = '$R'`,
        /request \$R: caseNumber/,
      ],
    ])('%s', async (_, edit, undo, detail, as = 'app') => {
      const fill = (s: string) =>
        s
          .replace(/\$([0-4])/g, (__, i: string) => links[Number(i)])
          .replaceAll('$R', requestId)
          .replaceAll('$S', c.shopee.marketplaceId)
          .replaceAll('$T', c.tokopedia.marketplaceId);
      const pattern = new RegExp(fill(detail.source.replace(/\\\$/g, '$')));
      if (edit.includes("SET url = 'https")) {
        const [{ url }] = await t.db.query<{ url: string }[]>('SELECT url FROM links WHERE id = $1', [
          links[0],
        ]);
        undo = `UPDATE links SET url = '${url}' WHERE id = '$0'`;
      }
      if (edit.includes('seller_records_salt')) {
        const [{ salt }] = await t.db.query<{ salt: string }[]>(
          `SELECT seller_records_salt AS salt FROM evidence_responses WHERE request_id = $1 AND decision = 'fulfil'`,
          [requestId],
        );
        undo = `UPDATE evidence_responses SET seller_records_salt = '${salt}' WHERE request_id = '$R' AND decision = 'fulfil'`;
      }
      await refusedAtExport(fill(edit), fill(undo), pattern, as);
      await download().expect(200);
    });
  });

  describe('the audit trail edited by a superuser', () => {
    const eventOf = async (linkId: string, action: string) =>
      (
        await owner.query<{ seq: string; canonical: string }>(
          'SELECT seq, canonical FROM audit_events WHERE entity_id = $1 AND action = $2',
          [linkId, action],
        )
      ).rows[0];

    it('an event moved away from its link (entity_id) is refused at export and found by /v1/audit/verify', async () => {
      const { seq } = await eventOf(links[1], 'link.rejected');
      await owner.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      try {
        await owner.query(`UPDATE audit_events SET entity_id = gen_random_uuid() WHERE seq = $1`, [seq]);
        const res = await download();
        expect(expectProblem(res, 409).detail).toMatch(
          new RegExp(`link ${links[1]}: status is "rejected" in the database but "pending"`),
        );
        const verify = await t.http.get('/v1/audit/verify').set(t.operator.auth).expect(200);
        expect(verify.body).toEqual(expect.objectContaining({ ok: false, firstBadSeq: Number(seq) }));
      } finally {
        await owner.query(`UPDATE audit_events SET entity_id = $2 WHERE seq = $1`, [seq, links[1]]);
        await owner.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
      }
    });

    it('an event whose text is rewritten, with its row to match, is refused at export and found by /v1/audit/verify', async () => {
      const { seq, canonical } = await eventOf(links[0], 'link.taken_down');
      await owner.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      try {
        await owner.query(
          `UPDATE audit_events SET canonical = replace(canonical, 'Toko Bal', 'FORGED') WHERE seq = $1`,
          [seq],
        );
        await t.db.query(`UPDATE links SET listing = listing || '{"sellerName":"FORGED"}' WHERE id = $1`, [
          links[0],
        ]);
        expect(expectProblem(await download(), 409).detail).toMatch(
          new RegExp(`audit event seq ${seq}: canonical is "text that hashes otherwise"`),
        );
        const verify = await t.http.get('/v1/audit/verify').set(t.operator.auth).expect(200);
        expect(verify.body).toEqual(expect.objectContaining({ ok: false, firstBadSeq: Number(seq) }));
      } finally {
        await owner.query(`UPDATE audit_events SET canonical = $2 WHERE seq = $1`, [seq, canonical]);
        await t.db.query(`UPDATE links SET listing = listing || '{"sellerName":"Toko Bal"}' WHERE id = $1`, [
          links[0],
        ]);
        await owner.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
      }
      await download().expect(200);
    });
  });

  describe('a package whose files were changed and re-signed with the exchange’s own key is refused by the verifier', () => {
    let original: Map<string, Buffer>;
    let resign: (changes: Record<string, (text: string) => string>) => Map<string, Buffer>;

    beforeAll(async () => {
      original = await entriesOf((await download().expect(200)).body as Buffer);
      const key = createPrivateKey(readFileSync(t.config.auditKeyFile));
      resign = (changes) => {
        const entries = new Map(original);
        for (const [name, change] of Object.entries(changes))
          entries.set(name, Buffer.from(change(entries.get(name)!.toString('utf8'))));
        const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as {
          files: { name: string; bytes: number; sha256: string }[];
        };
        for (const f of manifest.files) {
          const content = entries.get(f.name)!;
          f.bytes = content.length;
          f.sha256 = createHash('sha256').update(content).digest('hex');
        }
        const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
        entries.set('manifest.json', bytes);
        entries.set('manifest.sig', Buffer.from(sign(null, bytes, key).toString('base64') + '\n'));
        return entries;
      };
    });

    const refusal = (entries: Map<string, Buffer>) => {
      const report = verifyEvidencePackage(entries, jwks);
      expect(report.ok).toBe(false);
      return report.lines.filter((l) => l.startsWith('✘')).join('\n');
    };

    it('re-signing alone changes nothing', () => {
      expect(verifyEvidencePackage(resign({}), jwks).ok).toBe(true);
    });

    it.each<[string, Record<string, (s: string) => string>, RegExp]>([
      [
        'a link line with a forged status',
        { 'links.jsonl': (s) => s.replace('"status":"rejected"', '"status":"taken_down"') },
        /links.jsonl line \d: link [0-9a-f-]+: status is "taken_down" in the package but "rejected"/,
      ],
      [
        'a live formula in links.csv',
        { 'links.csv': (s) => s.replace(`'${FORMULA}`, FORMULA) },
        /links.csv .*line \d/,
      ],
      [
        'forged seller records',
        { 'seller-records.jsonl': (s) => s.replace('CV Bal Jaya', 'FORGED NAME') },
        /seller-records.jsonl line 1: marketplace [0-9a-f-]+'s records hash to/,
      ],
      [
        'a link line dropped',
        { 'links.jsonl': (s) => s.split('\n').slice(1).join('\n') },
        /3 links filed, 2 in links.jsonl/,
      ],
      [
        'an event dropped',
        {
          'audit-events.jsonl': (s) =>
            s
              .split('\n')
              .filter((l) => !l.includes('link.rejected'))
              .join('\n'),
        },
        /status is "rejected" in the package but "pending" by its audit events/,
      ],
      [
        'the withheld part left unsaid',
        { 'manifest.json': (s) => s.replace(/"withheld": \[[^\]]*\]/, '"withheld": []') },
        /withheld/,
      ],
    ])('%s', (_, changes, found) => {
      expect(refusal(resign(changes))).toMatch(found);
    });
  });

  it('is verified by the standalone verifier the exchange serves, from an empty folder with only Node', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'police-laptop-'));
    const script = await t.http.get('/verify-evidence.cjs').buffer(true).parse(bytesOrProblem).expect(200);
    const sum = (await t.http.get('/verify-evidence.cjs.sha256').expect(200)).text;
    writeFileSync(path.join(dir, 'verify-evidence.cjs'), script.body as Buffer);
    expect(sum.split(/\s+/)[0]).toBe(
      createHash('sha256')
        .update(script.body as Buffer)
        .digest('hex'),
    );
    writeFileSync(path.join(dir, 'evidence.zip'), (await download().expect(200)).body as Buffer);
    writeFileSync(path.join(dir, 'audit-keys.json'), jwks);
    const env = { PATH: process.env.PATH ?? '' };
    const out = execFileSync('node', ['verify-evidence.cjs', 'evidence.zip', '--key', 'audit-keys.json'], {
      cwd: dir,
      env,
    }).toString();
    expect(out).toMatch(/package verified: 3 links/);
    const forged = resignedZip(dir);
    const refused = spawnSync('node', ['verify-evidence.cjs', forged, '--key', 'audit-keys.json'], {
      cwd: dir,
      env,
    });
    expect(refused.status).toBe(1);
  });

  /** A package with one byte of links.jsonl changed: the standalone verifier refuses it. */
  function resignedZip(dir: string): string {
    const zip = readFileSync(path.join(dir, 'evidence.zip'));
    const i = zip.indexOf(Buffer.from('evidence-'));
    const copy = Buffer.from(zip);
    copy[Math.max(i, Math.floor(copy.length / 2))] ^= 0x01;
    writeFileSync(path.join(dir, 'broken.zip'), copy);
    return 'broken.zip';
  }
});
