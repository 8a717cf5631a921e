import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { completeEntry, entryHash, prepareEntry, ZERO_HASH } from './canonical';
import { Checkpoint, signCheckpoint } from './checkpoint-note';
import { StoredEntry } from './entry-check';
import { CheckpointToCheck, checkpointFaults, Finding, LogVerification } from './log-verification';
import { CompactRange } from './merkle';
import { STORED_LEVEL } from './merkle-tree.service';

type Row = StoredEntry;
const ENTITY = '9a3d6e2f-2222-4c55-9d1b-0a6a7f1c2a04';

/** A log of `n` keyword events as the writer stores them; `note` changes the text of one event, for rewrites. */
function log(n: number, note: (seq: number) => string = () => 'original'): Row[] {
  const rows: Row[] = [];
  let prev = ZERO_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const canonical = completeEntry(
      prepareEntry({
        action: 'keyword.added',
        actor: { clientId: null, agencyId: null, role: 'system' },
        at: '2026-11-25T10:00:00.123Z',
        data: { note: note(seq) },
        entity: { type: 'keyword', id: ENTITY },
        requestId: null,
      }),
      seq,
      prev,
    );
    const hash = entryHash(canonical).toString('hex');
    rows.push({
      seq,
      canonical,
      prev_hash: prev,
      entry_hash: hash,
      ids: `2026-11-25T10:00:00.123000Z|||${ENTITY}|`,
      actor_role: 'system',
      action: 'keyword.added',
      entity_type: 'keyword',
      request_id: null,
    });
    prev = hash;
  }
  return rows;
}

/** The stored nodes and signed roots of `rows` as integrated up to `integrated`, with checkpoints at `sizes`. */
function merkleOf(rows: Row[], integrated: number, sizes: number[]) {
  const nodes = new Map<string, string>();
  const range = new CompactRange();
  const roots = new Map<number, string>([[0, range.root()]]);
  for (const r of rows.slice(0, integrated)) {
    range.append(r.entry_hash, (level, index, hash) => nodes.set(`${level}/${index}`, hash), STORED_LEVEL);
    roots.set(range.size, range.root());
  }
  const checkpoints: CheckpointToCheck[] = sizes.map((treeSize) => ({
    treeSize,
    rootHash: roots.get(treeSize) as string,
    fault: null,
  }));
  return { nodes, checkpoints, integrated };
}

function run(
  rows: Row[],
  m: ReturnType<typeof merkleOf>,
  head = { seq: rows.length, hash: rows[rows.length - 1].entry_hash },
  chunk = 7,
): { finding: Finding | null; checked: number } {
  const pass = new LogVerification(1, ZERO_HASH, {
    checkpoints: m.checkpoints,
    integratedSize: m.integrated,
  });
  for (let at = 0; at < rows.length; at += chunk) {
    const finding = pass.consume(rows.slice(at, at + chunk), m.nodes);
    if (finding) return { finding, checked: pass.checked };
  }
  return { finding: pass.finish(head), checked: pass.checked };
}

describe('LogVerification', () => {
  const original = log(100);
  const signed = merkleOf(original, 90, [0, 20, 70, 90]);

  it('finds nothing wrong with the log as written, read in any chunking', () => {
    for (const chunk of [1, 7, 16, 100])
      expect(run(original, signed, undefined, chunk)).toEqual({ finding: null, checked: 100 });
  });

  it('catches a rewrite re-chained to the head at the first signed root after it, narrowed by the stored node', () => {
    const rewritten = log(100, (seq) => (seq >= 37 ? 'forged' : 'original'));
    expect(run(rewritten, signed)).toEqual({
      finding: {
        firstBadSeq: 33,
        problem:
          'checkpoint of tree size 70: root recomputed from the log differs from the signed root; the first stored Merkle node to differ covers seq 33–48',
      },
      checked: 70,
    });
  });

  it('does not blame events a good checkpoint vouched for, even when their stored node differs', () => {
    const rewritten = log(100, (seq) => (seq >= 23 ? 'forged' : 'original'));
    expect(run(rewritten, signed).finding).toEqual({
      firstBadSeq: 21,
      problem:
        'checkpoint of tree size 70: root recomputed from the log differs from the signed root; the first stored Merkle node to differ covers seq 17–32',
    });
  });

  it('blames the stored node when the log agrees with the signed root', () => {
    const nodes = new Map(signed.nodes);
    nodes.set(`${STORED_LEVEL}/2`, ZERO_HASH);
    expect(run(original, { ...signed, nodes }).finding).toEqual({
      firstBadSeq: 33,
      problem:
        'stored Merkle node (level 4, index 2) over seq 33–48 differs from the hash recomputed from the log',
    });
    nodes.delete(`${STORED_LEVEL}/2`);
    expect(run(original, { ...signed, nodes }).finding?.problem).toBe(
      'stored Merkle node (level 4, index 2) over seq 33–48 is missing',
    );
  });

  it('reports a checkpoint with a fault where the pass reaches its size', () => {
    const checkpoints = signed.checkpoints.map((cp) =>
      cp.treeSize === 70 ? { ...cp, fault: 'its signature does not verify with the audit keys' } : cp,
    );
    expect(run(original, { ...signed, checkpoints })).toEqual({
      finding: {
        firstBadSeq: 21,
        problem: 'checkpoint of tree size 70: its signature does not verify with the audit keys',
      },
      checked: 70,
    });
  });

  it('reports a log cut back below a signed tree size, and below the integrated tree', () => {
    const cut = original.slice(0, 80);
    expect(run(cut, signed)).toEqual({
      finding: { firstBadSeq: 81, problem: 'the log ends at seq 80 but a signed checkpoint covers 90' },
      checked: 80,
    });
    expect(run(cut, merkleOf(original, 90, [20, 70])).finding).toEqual({
      firstBadSeq: 81,
      problem: 'the log ends at seq 80 but the Merkle tree was integrated to 90',
    });
  });

  it('reports a missing row, a broken link and a head row that does not match', () => {
    const gap = [...original.slice(0, 40), ...original.slice(41)];
    expect(run(gap, signed).finding).toEqual({ firstBadSeq: 41, problem: 'seq 41: the row is missing' });
    const broken = original.map((r) => (r.seq === 41 ? { ...r, prev_hash: '09'.repeat(32) } : r));
    expect(run(broken, signed)).toEqual({
      finding: { firstBadSeq: 41, problem: 'seq 41: prev_hash does not match the entry hash of seq 40' },
      checked: 40,
    });
    expect(run(original, signed, { seq: 100, hash: ZERO_HASH }).finding).toEqual({
      firstBadSeq: 100,
      problem: 'audit_head.last_hash differs from the entry hash of seq 100',
    });
  });
});

describe('checkpointFaults', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const keys = new Map<string, KeyObject>([['k1', publicKey]]);
  const sign = (treeSize: number, at: string, key = privateKey) =>
    signCheckpoint(key, 'k1', 'test/audit', treeSize, 'cd'.repeat(32), at);

  it.each<[string, Checkpoint[], (string | null)[]]>([
    [
      'signed in order',
      [sign(1, '2026-01-01T00:00:00.000Z'), sign(2, '2026-01-01T00:00:01.000Z')],
      [null, null],
    ],
    [
      'a root column that is not the note’s',
      [{ ...sign(1, '2026-01-01T00:00:00.000Z'), rootHash: 'ee'.repeat(32) }],
      ['its note differs from its tree_size, root_hash or issued_at'],
    ],
    [
      'another key',
      [sign(1, '2026-01-01T00:00:00.000Z', other.privateKey)],
      ['its signature does not verify with the audit keys'],
    ],
    [
      'an unknown key id',
      [{ ...sign(1, '2026-01-01T00:00:00.000Z'), keyId: 'k9' }],
      ['its signature does not verify with the audit keys'],
    ],
    [
      'a larger tree signed earlier',
      [sign(1, '2026-01-01T00:00:01.000Z'), sign(2, '2026-01-01T00:00:00.000Z')],
      [null, 'it was signed no later than the checkpoint of tree size 1'],
    ],
  ])('%s', (_, checkpoints, faults) => {
    expect(checkpointFaults(checkpoints, keys)).toEqual(faults);
  });
});
