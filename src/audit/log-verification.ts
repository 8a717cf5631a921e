import { KeyObject } from 'node:crypto';
import { Checkpoint, checkpointNote, verifyCheckpoint } from './checkpoint-note';
import { checkEntry, StoredEntry } from './entry-check';
import { CompactRange } from './merkle';
import { STORED_LEVEL } from './merkle-tree.service';

/** A stored checkpoint as verification needs it: the signed root, and what is wrong with the row itself, if anything. */
export interface CheckpointToCheck {
  treeSize: number;
  /** Hex. */
  rootHash: string;
  fault: string | null;
}

export interface Finding {
  firstBadSeq: number;
  problem: string;
}

interface NodeFault {
  first: number;
  last: number;
  missing: boolean;
  level: number;
  index: number;
}

/**
 * What is wrong with each stored checkpoint row, in tree-size order: its note must say what its columns say, be
 * signed by the audit key it names (the current one or a retired one), and be signed later than any smaller one.
 */
export function checkpointFaults(checkpoints: Checkpoint[], keys: Map<string, KeyObject>): (string | null)[] {
  return checkpoints.map((cp, i) => {
    if (cp.note !== checkpointNote(cp.origin, cp.treeSize, cp.rootHash, cp.issuedAt))
      return 'its note differs from its tree_size, root_hash or issued_at';
    const key = keys.get(cp.keyId);
    if (!key || !verifyCheckpoint(cp, key)) return 'its signature does not verify with the audit keys';
    const previous = checkpoints[i - 1];
    if (previous && Date.parse(cp.issuedAt) <= Date.parse(previous.issuedAt))
      return `it was signed no later than the checkpoint of tree size ${previous.treeSize}`;
    return null;
  });
}

/**
 * One pass over the log in seq order that finds the first thing wrong with it. Rows are checked one by one
 * (checkEntry) and the chain across them. When the pass starts at seq 1, their entry hashes also go onto a compact
 * range, so that on reaching each signed checkpoint's tree size the root there is compared with the signed root, and
 * every stored Merkle node the pass completes is compared with the one recomputed; both cost O(log n) per event,
 * not a second read of the log.
 *
 * A rewrite that is re-chained to the head passes every row check; the signed root then shows that it happened, and
 * the first stored node that differs where it began, to within the 2^STORED_LEVEL events that node covers (the leaf
 * hashes below it are not kept anywhere else). firstBadSeq is the first seq that can no longer be vouched for:
 * every event before it passed every check that applies to it.
 */
export class LogVerification {
  private next: number;
  private prev: string;
  private passed = 0;
  private readonly range: CompactRange | null;
  private readonly checkpoints: CheckpointToCheck[];
  private reachedCheckpoints = 0;
  /** The largest tree size whose signed checkpoint held. */
  private vouchedFor = 0;
  /** The first stored node found to differ; reported once a checkpoint or the end says whether the log or it is wrong. */
  private nodeFault: NodeFault | null = null;
  private stored = new Map<string, string>();

  constructor(
    fromSeq: number,
    /** The entry hash (hex) of the row before fromSeq, or the zero hash. */
    prevHash: string,
    /** Given only when the pass starts at seq 1: every checkpoint in tree-size order, and the integrated tree size. */
    private readonly merkle: { checkpoints: CheckpointToCheck[]; integratedSize: number } | null,
  ) {
    this.next = fromSeq;
    this.prev = prevHash;
    this.range = merkle ? new CompactRange() : null;
    this.checkpoints = merkle?.checkpoints ?? [];
  }

  get checked(): number {
    return this.passed;
  }

  /** The seq the next row must have. */
  get nextSeq(): number {
    return this.next;
  }

  /**
   * Checks the next rows of the log, in seq order, given the stored Merkle nodes (hex, keyed `level/index`) that they
   * complete; returns the first finding, after which the pass is over.
   */
  consume(rows: StoredEntry[], storedNodes: Map<string, string>): Finding | null {
    this.stored = storedNodes;
    if (this.range?.size === 0) {
      const finding = this.reachCheckpoints();
      if (finding) return finding;
    }
    for (const row of rows) {
      const seq = this.next;
      const problem = row.seq !== seq ? `seq ${seq}: the row is missing` : checkEntry(row, seq, this.prev);
      if (problem !== null) return this.nodeFinding() ?? { firstBadSeq: seq, problem };
      this.prev = row.entry_hash;
      this.passed++;
      this.next++;
      if (this.range) {
        this.range.append(row.entry_hash, this.compareNode, STORED_LEVEL);
        if (this.reachedCheckpoints < this.checkpoints.length) {
          const finding = this.reachCheckpoints();
          if (finding) return finding;
        }
      }
    }
    return null;
  }

  /** After the last row of the range: `head` when the range reached the log's head, to check what lies beyond it. */
  finish(head: { seq: number; hash: string } | null): Finding | null {
    if (this.range?.size === 0) {
      const finding = this.reachCheckpoints();
      if (finding) return finding;
    }
    const node = this.nodeFinding();
    if (node) return node;
    if (!head) return null;
    if (head.seq >= 1 && head.seq === this.next - 1 && head.hash !== this.prev)
      return {
        firstBadSeq: head.seq,
        problem: `audit_head.last_hash differs from the entry hash of seq ${head.seq}`,
      };
    if (!this.merkle) return null;
    const beyond = this.checkpoints.slice(this.reachedCheckpoints);
    const signed = beyond.filter((cp) => cp.fault === null);
    if (signed.length > 0)
      return {
        firstBadSeq: head.seq + 1,
        problem: `the log ends at seq ${head.seq} but a signed checkpoint covers ${signed[signed.length - 1].treeSize}`,
      };
    if (beyond.length > 0) return this.checkpointFinding(beyond[0], beyond[0].fault as string);
    if (this.merkle.integratedSize > head.seq)
      return {
        firstBadSeq: head.seq + 1,
        problem: `the log ends at seq ${head.seq} but the Merkle tree was integrated to ${this.merkle.integratedSize}`,
      };
    return null;
  }

  private readonly compareNode = (level: number, index: number, hash: string): void => {
    const span = 2 ** level;
    if (this.nodeFault || (index + 1) * span > (this.merkle?.integratedSize ?? 0)) return;
    const stored = this.stored.get(`${level}/${index}`);
    if (stored === hash) return;
    this.nodeFault = { first: index * span + 1, last: (index + 1) * span, missing: !stored, level, index };
  };

  /** Compares the roots of every checkpoint whose tree size the pass has just reached. */
  private reachCheckpoints(): Finding | null {
    const size = this.range?.size ?? 0;
    while (
      this.reachedCheckpoints < this.checkpoints.length &&
      this.checkpoints[this.reachedCheckpoints].treeSize === size
    ) {
      const cp = this.checkpoints[this.reachedCheckpoints++];
      if (cp.fault !== null) return this.checkpointFinding(cp, cp.fault);
      if ((this.range as CompactRange).root() !== cp.rootHash) {
        const where = this.nodeFault
          ? `; the first stored Merkle node to ${this.nodeFault.missing ? 'be missing' : 'differ'} covers seq ${this.nodeFault.first}–${this.nodeFault.last}`
          : '';
        return this.checkpointFinding(
          cp,
          `root recomputed from the log differs from the signed root${where}`,
        );
      }
      // The log agrees with what was signed: a stored node that differs is itself what was altered.
      const node = this.nodeFinding();
      if (node) return node;
      this.vouchedFor = cp.treeSize;
    }
    return null;
  }

  private checkpointFinding(cp: CheckpointToCheck, what: string): Finding {
    const firstBadSeq = Math.max(this.vouchedFor + 1, this.nodeFault?.first ?? 0);
    return { firstBadSeq, problem: `checkpoint of tree size ${cp.treeSize}: ${what}` };
  }

  private nodeFinding(): Finding | null {
    const f = this.nodeFault;
    if (!f) return null;
    return {
      firstBadSeq: f.first,
      problem: `stored Merkle node (level ${f.level}, index ${f.index}) over seq ${f.first}–${f.last} ${f.missing ? 'is missing' : 'differs from the hash recomputed from the log'}`,
    };
  }
}
