/**
 * The raw baseline for single acknowledgements: a bare node:http handler doing the same SQL the API does for one item
 * (lock the audit head, update the link, insert the audit row, update the head, commit), with no framework.
 */
import * as http from 'node:http';
import { Pool } from 'pg';
import { leafHash } from '../src/audit/merkle-hash';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

async function acknowledge(linkId: string, status: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const updated = await client.query(
      'UPDATE bench_links SET status = $2, resolved_at = now(), updated_at = now() WHERE id = $1 AND status = $3',
      [linkId, status, 'pending'],
    );
    const head = await client.query<{ next_seq: string; last_hash: string }>(
      `SELECT next_seq, encode(last_hash, 'hex') AS last_hash FROM bench_head WHERE id = 1 FOR UPDATE`,
    );
    const seq = Number(head.rows[0].next_seq);
    const canonical = JSON.stringify({
      action: `link.${status}`,
      entity: { id: linkId, type: 'link' },
      prev: head.rows[0].last_hash,
      seq,
      v: 1,
    });
    const hash = leafHash(canonical).toString('hex');
    if (updated.rowCount) {
      await client.query(
        `INSERT INTO bench_audit (seq, occurred_at, actor_role, action, entity_type, entity_id, canonical, prev_hash, entry_hash)
         VALUES ($1, now(), 'marketplace', $2, 'link', $3, $4, decode($5, 'hex'), decode($6, 'hex'))`,
        [seq, `link.${status}`, linkId, canonical, head.rows[0].last_hash, hash],
      );
      await client.query(`UPDATE bench_head SET next_seq = $1, last_hash = decode($2, 'hex') WHERE id = 1`, [
        seq + 1,
        hash,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const { items } = JSON.parse(body) as { items: { linkId: string; status: string }[] };
    acknowledge(items[0].linkId, items[0].status).then(
      () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ results: [{ linkId: items[0].linkId, ok: true, status: items[0].status }] }),
        );
      },
      (error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      },
    );
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
