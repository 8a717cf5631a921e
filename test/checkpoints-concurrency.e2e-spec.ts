import { createPublicKey, KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { Checkpoint, verifyCheckpoint } from '../src/audit/checkpoint-note';
import { CheckpointsService } from '../src/audit/checkpoints.service';
import { InMemoryMerkleTree, verifyInclusion } from '../src/audit/merkle';
import { MerkleTreeService } from '../src/audit/merkle-tree.service';
import { dataSourceOptions } from '../src/database/data-source-options';
import { TransactionService } from '../src/database/transaction.service';
import { createTestApp, TestApp } from './support/app';
import { batch, Campaign, setUpCampaign, shopeeUrl } from './support/campaign';

/**
 * Issue 11: issuing the latest checkpoint held one pool connection under the advisory lock while integrating the tree
 * on a second one, so a burst of GET /v1/audit/checkpoints/latest starved the pool and answered 503. Here the pool is
 * made small on purpose, and every answer must be 200 and tell one consistent story.
 */
describe('latest checkpoint and proofs under concurrency (issue 11)', () => {
  let t: TestApp;
  let c: Campaign;
  let url: string;
  let base: string;
  let side: Client;
  let publicKey: KeyObject;

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    url = (t.db.options as PostgresConnectionOptions).url!;
    side = new Client({ connectionString: url });
    await side.connect();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const keys = (await t.http.get('/v1/audit/keys').set(c.police.auth).expect(200)).body.keys;
    publicKey = createPublicKey({ key: keys[0], format: 'jwk' });
  });
  afterAll(async () => {
    await side.end();
    await t.close();
  });

  /** Read beside the app's pool, so the test itself takes none of its connections. */
  const head = async () =>
    Number(
      (await side.query<{ h: string }>('SELECT next_seq - 1 AS h FROM audit_head WHERE id = 1')).rows[0].h,
    );
  const checkpointRows = async () =>
    (
      await side.query<{ tree_size: string; root_hash: string; issued_at: Date }>(
        `SELECT tree_size, encode(root_hash, 'hex') AS root_hash, issued_at FROM audit_checkpoints ORDER BY issued_at`,
      )
    ).rows.map((r) => ({ size: Number(r.tree_size), root: r.root_hash, at: r.issued_at.getTime() }));
  const reference = async () => {
    const tree = new InMemoryMerkleTree();
    for (const r of (
      await side.query<{ entry_hash: Buffer }>('SELECT entry_hash FROM audit_events ORDER BY seq')
    ).rows)
      tree.append(r.entry_hash);
    return tree;
  };
  const submit = (links = 3) =>
    t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch(Array.from({ length: links }, () => shopeeUrl())));
  const get = async (path: string, auth: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, { headers: auth });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** Takes `n` of the app's pool connections (20) for the duration, leaving it the rest. */
  const shrinkPool = async (n: number): Promise<() => Promise<void>> => {
    const held: QueryRunner[] = [];
    for (let i = 0; i < n; i++) {
      const r = t.db.createQueryRunner();
      await r.connect();
      held.push(r);
    }
    return async () => {
      for (const r of held) await r.release();
    };
  };

  it('answers 200 concurrent latest-checkpoint and 100 inclusion-proof requests with 200 while batches are written, on a pool of 6', async () => {
    await submit(40).expect(201); // events not yet in the tree: the first issuing and the proofs integrate them
    const proofSize = await head();
    const release = await shrinkPool(14);
    const started = Date.now();
    let storming = true;
    const polled: { status: number; before: number; cp: Checkpoint }[] = [];
    const poller = (async () => {
      // One client asking again and again: what it sees only grows, and always covers what was committed before it asked.
      while (storming) {
        const before = await head();
        const res = await get('/v1/audit/checkpoints/latest', c.association.auth);
        polled.push({ status: res.status, before, cp: res.body as unknown as Checkpoint });
      }
    })();
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const parties = [c.police, c.shopee, c.tokopedia, c.association, c.ministry];
    const [latest, proofs, writes] = await Promise.all([
      Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          get('/v1/audit/checkpoints/latest', parties[i % parties.length].auth),
        ),
      ),
      Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const seq = 1 + rnd(proofSize);
          return get(
            `/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${proofSize}`,
            parties[i % parties.length].auth,
          );
        }),
      ),
      Promise.all(Array.from({ length: 12 }, () => submit(3))),
    ]);
    storming = false;
    await poller;
    const wall = Date.now() - started;
    await release();

    const count = (statuses: number[]) =>
      statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    if (process.env.CONCURRENCY_REPORT)
      process.stdout.write(
        `latest ${JSON.stringify(count(latest.map((r) => r.status)))} proofs ${JSON.stringify(count(proofs.map((r) => r.status)))} writes ${JSON.stringify(count(writes.map((r) => r.status)))} polled ${JSON.stringify(count(polled.map((p) => p.status)))} in ${wall} ms\n`,
      );
    expect(count(latest.map((r) => r.status))).toEqual({ 200: 200 });
    expect(count(proofs.map((r) => r.status))).toEqual({ 200: 100 });
    expect(count(writes.map((r) => r.status))).toEqual({ 201: 12 });
    expect(polled.filter((p) => p.status !== 200)).toEqual([]);
    for (const p of polled) expect(p.cp.treeSize).toBeGreaterThanOrEqual(p.before);

    const ref = await reference();
    const seen = [...latest.map((r) => r.body as unknown as Checkpoint), ...polled.map((p) => p.cp)];
    const bySize = new Map<number, Checkpoint>();
    for (const cp of seen) {
      expect(verifyCheckpoint(cp, publicKey)).toBe(true);
      expect(cp.rootHash).toBe(ref.root(cp.treeSize).toString('hex'));
      // One size, one checkpoint: same root, time and signature.
      expect(cp).toEqual(bySize.get(cp.treeSize) ?? cp);
      bySize.set(cp.treeSize, cp);
    }
    for (let i = 1; i < polled.length; i++)
      expect(polled[i].cp.treeSize).toBeGreaterThanOrEqual(polled[i - 1].cp.treeSize);
    const ordered = [...bySize.values()].sort((a, b) => a.treeSize - b.treeSize);
    for (let i = 1; i < ordered.length; i++)
      expect(verifyCheckpoint(ordered[i], publicKey, ordered[i - 1])).toBe(true);
    // Stored, too: later checkpoints are of larger trees, and every size is signed once.
    const rows = await checkpointRows();
    for (let i = 1; i < rows.length; i++) expect(rows[i].size).toBeGreaterThan(rows[i - 1].size);
    for (const r of rows) expect(r.root).toBe(ref.root(r.size).toString('hex'));

    for (const res of proofs) {
      const body = res.body as { seq: number; treeSize: number; entryHash: string; hashes: string[] };
      const ok = verifyInclusion(
        body.seq - 1,
        body.treeSize,
        Buffer.from(body.entryHash, 'hex'),
        body.hashes.map((h) => Buffer.from(h, 'hex')),
        ref.root(proofSize),
      );
      expect(ok).toBe(true);
    }
    const last = await get('/v1/audit/checkpoints/latest', c.police.auth);
    expect(last.body.treeSize).toBe(await head());
  });

  it('signs one checkpoint for 30 concurrent issuers in one process', async () => {
    await submit(2).expect(201);
    const service = t.app.get(CheckpointsService);
    const before = (await checkpointRows()).length;
    const answers = await Promise.all(Array.from({ length: 30 }, () => service.issueIfGrown()));
    expect((await checkpointRows()).length).toBe(before + 1);
    expect(new Set(answers.map((a) => a.signature)).size).toBe(1);
    expect(answers[0].treeSize).toBe(await head());
  });

  it('signs one checkpoint for concurrent issuers in two processes, serialised by the advisory lock', async () => {
    await submit(2).expect(201);
    const other = await standalone(url, 20);
    try {
      const before = (await checkpointRows()).length;
      const here = t.app.get(CheckpointsService);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? here : other.checkpoints).issueIfGrown()),
      );
      expect((await checkpointRows()).length).toBe(before + 1);
      expect(new Set(answers.map((a) => a.signature)).size).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('never answers with a checkpoint older than what was committed before the caller asked, even mid-issuing', async () => {
    await submit(2).expect(201);
    const service = t.app.get(CheckpointsService);
    // Park an issuing after it has read the log: its INSERT waits for this lock (SELECT still passes).
    await side.query('BEGIN');
    await side.query('LOCK TABLE audit_checkpoints IN EXCLUSIVE MODE');
    let first: Promise<Checkpoint> | undefined;
    let second: Promise<Checkpoint> | undefined;
    let sizeOfFirst: number;
    let committed: number;
    try {
      first = service.issueIfGrown();
      await waitFor(async () => {
        const { rows } = await side.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'audit_checkpoints'::regclass AND mode = 'RowExclusiveLock' AND NOT granted`,
        );
        return rows[0].n === 1;
      });
      sizeOfFirst = await head();
      await submit(2).expect(201); // committed while the first issuing is in flight
      committed = await head();
      second = service.issueIfGrown();
    } finally {
      await side.query('COMMIT');
    }
    expect((await first).treeSize).toBe(sizeOfFirst);
    expect((await second).treeSize).toBe(committed);
    expect(committed).toBeGreaterThan(sizeOfFirst);
  });

  it('issues and proves on a pool of one connection: nothing waits for a second one', async () => {
    await submit(5).expect(201);
    const one = await standalone(url, 1);
    try {
      const cp = await one.checkpoints.issueIfGrown();
      expect(cp.treeSize).toBe(await head());
      await submit(5).expect(201);
      const size = await head();
      const proof = await one.tree.inclusionProof(size - 1, size); // integrates the new events first
      expect(proof.treeSize).toBe(size);
      const paths = await one.dataSource.transaction((m) => one.tree.inclusionProofs([1, 2, size], size, m));
      const ref = await reference();
      expect(paths[2]).toEqual(ref.inclusionProof(size - 1, size).map((h) => h.toString('hex')));
    } finally {
      await one.close();
    }
  });

  /** The audit services on a pool of their own against the same database: another instance of the API. */
  async function standalone(databaseUrl: string, max: number) {
    const dataSource = new DataSource(
      dataSourceOptions(databaseUrl, { extra: { max, connectionTimeoutMillis: 2000 } }),
    );
    await dataSource.initialize();
    const tx = new TransactionService(dataSource);
    const tree = new MerkleTreeService(tx);
    const checkpoints = new CheckpointsService(t.config, tx, tree);
    return { dataSource, tree, checkpoints, close: () => dataSource.destroy() };
  }
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
