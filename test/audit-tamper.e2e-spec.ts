import { EntityManager } from 'typeorm';
import { canonicalJson, entryHash } from '../src/audit/canonical';
import { STORED_LEVEL } from '../src/audit/merkle-tree.service';
import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';

interface Verdict {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBadSeq: number | null;
  problem: string | null;
}

/**
 * What GET /v1/audit/verify finds when someone with the database owner's rights rewrites the log behind the
 * append-only triggers. Each test tampers with one saved history and puts it back afterwards.
 */
describe('audit verification against tampering', () => {
  let t: TestApp;
  let c: Campaign;
  /** Tree sizes of the two signed checkpoints, and the head (a few events after the second). */
  let signed1: number;
  let signed2: number;
  let head: number;

  const verify = async (query = ''): Promise<Verdict> =>
    (await t.http.get(`/v1/audit/verify${query}`).set(t.operator.auth).expect(200)).body as Verdict;

  const checkpoint = async (): Promise<number> =>
    (await t.http.get('/v1/audit/checkpoints/latest').set(c.police.auth).expect(200)).body.treeSize as number;

  const acknowledge = async (party: Campaign['shopee'], ids: string[], status: string) =>
    t.http
      .post('/v1/links/acknowledgements')
      .set(party.auth)
      .send({ items: ids.map((linkId) => ({ linkId, status })) })
      .expect(200);

  /** Runs `work` as the database owner with the audit tables' own triggers switched off. */
  const behindTheTriggers = (work: (m: EntityManager) => Promise<void>) =>
    t.db.transaction(async (m) => {
      await m.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      await m.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER USER');
      await work(m);
      await m.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER USER');
      await m.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    });

  const seqOf = async (where: string, params: unknown[] = []): Promise<number> => {
    const [row] = await t.db.query<{ seq: string }[]>(
      `SELECT seq FROM audit_events WHERE ${where} ORDER BY seq LIMIT 1`,
      params,
    );
    if (!row) throw new Error(`no event where ${where}`);
    return Number(row.seq);
  };

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    const first = await submitBatch(t, c, [
      ...Array.from({ length: 30 }, () => shopeeUrl()),
      ...Array.from({ length: 10 }, () => tokopediaUrl()),
    ]);
    const onShopee = first.links.filter((l) => l.marketplaceId === c.shopee.marketplaceId);
    const onTokopedia = first.links.filter((l) => l.marketplaceId === c.tokopedia.marketplaceId);
    await acknowledge(
      c.shopee,
      onShopee.slice(0, 20).map((l) => l.id),
      'taken_down',
    );
    await acknowledge(
      c.tokopedia,
      onTokopedia.map((l) => l.id),
      'acknowledged',
    );
    signed1 = await checkpoint();
    // More than the writer's small-append limit, so this batch's events go in by COPY.
    const second = await submitBatch(
      t,
      c,
      Array.from({ length: 70 }, () => shopeeUrl()),
    );
    await acknowledge(
      c.shopee,
      second.links.slice(0, 30).map((l) => l.id),
      'taken_down',
    );
    await t.http.post('/v1/keywords').set(c.ministry.auth).send({ term: 'tamper test' }).expect(201);
    await t.http
      .post(`/v1/link-batches/${second.batchId}/cancel`)
      .set(c.ministry.auth)
      .send({ reason: 'tamper test' })
      .expect(200);
    signed2 = await checkpoint();
    await t.party('police'); // an unsigned tail after the last checkpoint
    head = await t.auditCount();
    if (!(signed1 > 80 && signed2 > signed1 + 100 && head > signed2))
      throw new Error(`setup: checkpoints at ${signed1} and ${signed2}, head ${head}`);

    await t.db.query('CREATE TABLE saved_audit_events AS SELECT * FROM audit_events');
    await t.db.query('CREATE TABLE saved_audit_head AS SELECT * FROM audit_head');
    await t.db.query('CREATE TABLE saved_audit_checkpoints AS SELECT * FROM audit_checkpoints');
  });

  afterEach(async () => {
    await behindTheTriggers(async (m) => {
      await m.query('DELETE FROM audit_events');
      await m.query('INSERT INTO audit_events SELECT * FROM saved_audit_events');
      await m.query('DELETE FROM audit_checkpoints');
      await m.query('INSERT INTO audit_checkpoints SELECT * FROM saved_audit_checkpoints');
      await m.query(
        'UPDATE audit_head h SET next_seq = s.next_seq, last_hash = s.last_hash FROM saved_audit_head s',
      );
    });
    // A test that left the log broken would make the next one's answer meaningless.
    if (!(await verify()).ok) throw new Error('the log was left broken after the test');
  });

  afterAll(() => t.close());

  it('finds an untouched log whole: every row, the chain, both signed checkpoints and the stored tree', async () => {
    const [{ hash }] = await t.db.query<{ hash: string }[]>(
      `SELECT encode(last_hash, 'hex') AS hash FROM audit_head`,
    );
    expect(await verify()).toEqual({
      ok: true,
      checked: head,
      headSeq: head,
      headHash: hash,
      firstBadSeq: null,
      problem: null,
    });
  });

  it('reports an entity_id column that no longer says what the canonical text says', async () => {
    const victim = await seqOf(`action = 'link.created' AND seq > $1`, [20]);
    await behindTheTriggers((m) =>
      m.query('UPDATE audit_events SET entity_id = gen_random_uuid() WHERE seq = $1', [victim]),
    );
    expect(await verify()).toEqual(
      expect.objectContaining({
        ok: false,
        checked: victim - 1,
        firstBadSeq: victim,
        problem: `seq ${victim}: entity_id column differs from the canonical text`,
      }),
    );
  });

  it('reports an action column rewritten to another action', async () => {
    const victim = await seqOf(`action = 'link.taken_down'`);
    await behindTheTriggers((m) =>
      m.query(`UPDATE audit_events SET action = 'link.rejected' WHERE seq = $1`, [victim]),
    );
    expect(await verify()).toEqual(
      expect.objectContaining({
        ok: false,
        checked: victim - 1,
        firstBadSeq: victim,
        problem: `seq ${victim}: action column differs from the canonical text`,
      }),
    );
  });

  it('reports an acknowledgement whose actor_agency_id column was moved to another marketplace', async () => {
    const victim = await seqOf(`action = 'link.taken_down' AND actor_agency_id = $1`, [c.shopee.agencyId]);
    await behindTheTriggers((m) =>
      m.query('UPDATE audit_events SET actor_agency_id = $1 WHERE seq = $2', [c.tokopedia.agencyId, victim]),
    );
    expect(await verify()).toEqual(
      expect.objectContaining({
        ok: false,
        checked: victim - 1,
        firstBadSeq: victim,
        problem: `seq ${victim}: actor_agency_id column differs from the canonical text`,
      }),
    );
  });

  it('reports a canonical text edited without its entry hash', async () => {
    const victim = await seqOf(`action = 'link.created' AND seq > $1`, [signed1]);
    await behindTheTriggers((m) =>
      m.query(
        `UPDATE audit_events SET canonical = replace(canonical, '"url":"https://shopee.co.id/', '"url":"https://shopee.co.id/x') WHERE seq = $1`,
        [victim],
      ),
    );
    expect(await verify()).toEqual(
      expect.objectContaining({
        ok: false,
        checked: victim - 1,
        firstBadSeq: victim,
        problem: `seq ${victim}: entry_hash is not the SHA-256 of the canonical text`,
      }),
    );
  });

  it('catches a rewrite re-chained to the head by the signed root, and narrows it with the stored tree', async () => {
    // An event inside the first signed tree, not the first of its stored subtree, whose subtree ends before the
    // checkpoint: the stored tree then says where the rewrite can have begun, the signed root says that it happened.
    const span = 2 ** STORED_LEVEL;
    const victim = await seqOf(`action = 'link.created' AND seq % $1 = 5 AND seq <= $2`, [
      span,
      signed1 - span,
    ]);
    const subtreeStart = victim - ((victim - 1) % span);
    await behindTheTriggers(async (m) => {
      const rows = await m.query<{ seq: string; canonical: string }[]>(
        'SELECT seq, canonical FROM audit_events WHERE seq >= $1 ORDER BY seq',
        [victim],
      );
      const [{ prev }] = await m.query<{ prev: string }[]>(
        `SELECT encode(prev_hash, 'hex') AS prev FROM audit_events WHERE seq = $1`,
        [victim],
      );
      let last = prev;
      for (const row of rows) {
        const entry = JSON.parse(row.canonical) as { prev: string; data: { url?: string } };
        if (Number(row.seq) === victim) entry.data.url = 'https://shopee.co.id/Forged-Listing-i.1.7';
        entry.prev = last;
        const canonical = canonicalJson(entry);
        const hash = entryHash(canonical).toString('hex');
        await m.query(
          `UPDATE audit_events SET canonical = $1, prev_hash = decode($2, 'hex'), entry_hash = decode($3, 'hex') WHERE seq = $4`,
          [canonical, last, hash, row.seq],
        );
        last = hash;
      }
      await m.query(`UPDATE audit_head SET last_hash = decode($1, 'hex')`, [last]);
    });
    // Chain and rows alone hold after the rewrite: only the Merkle checks, which need the log from seq 1, see it.
    expect(await verify(`?fromSeq=2`)).toEqual(expect.objectContaining({ ok: true, problem: null }));
    const verdict = await verify();
    expect(verdict).toEqual(expect.objectContaining({ ok: false, firstBadSeq: subtreeStart }));
    expect(verdict.problem).toBe(
      `checkpoint of tree size ${signed1}: root recomputed from the log differs from the signed root; ` +
        `the first stored Merkle node to differ covers seq ${subtreeStart}–${subtreeStart + span - 1}`,
    );
  });

  it('catches the tail cut back below a signed checkpoint, with the head moved back to match', async () => {
    const keep = signed1 + 40;
    await behindTheTriggers(async (m) => {
      await m.query('DELETE FROM audit_events WHERE seq > $1', [keep]);
      await m.query(
        `UPDATE audit_head SET next_seq = $1, last_hash = (SELECT entry_hash FROM audit_events WHERE seq = $2)`,
        [keep + 1, keep],
      );
    });
    expect(await verify()).toEqual(
      expect.objectContaining({
        ok: false,
        checked: keep,
        headSeq: keep,
        firstBadSeq: keep + 1,
        problem: `the log ends at seq ${keep} but a signed checkpoint covers ${signed2}`,
      }),
    );
  });

  it('reports a checkpoint whose signature is not the audit key’s over its note', async () => {
    await behindTheTriggers((m) =>
      m.query(
        `UPDATE audit_checkpoints SET signature = (SELECT signature FROM audit_checkpoints WHERE tree_size = $2)
          WHERE tree_size = $1`,
        [signed2, signed1],
      ),
    );
    expect(await verify()).toEqual(
      expect.objectContaining({
        ok: false,
        firstBadSeq: signed1 + 1,
        problem: `checkpoint of tree size ${signed2}: its signature does not verify with the audit keys`,
      }),
    );
  });
});
