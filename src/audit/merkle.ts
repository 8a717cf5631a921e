import * as crypto from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing over the audit log. Leaf i is audit event seq i + 1, and its leaf hash is
 * the event's entry_hash. A perfect subtree is named (level, index): it covers leaves [index·2^level, (index+1)·2^level).
 */

import { emptyRoot, nodeHash } from './merkle-hash';

export { emptyRoot, leafHash, nodeHash } from './merkle-hash';
export { verifyConsistency, verifyInclusion } from './merkle-proof-check';

export interface SubtreeRef {
  level: number;
  index: number;
}
export interface Subtree extends SubtreeRef {
  hash: Buffer;
}

/** Largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The perfect subtrees of [start, end), largest first; MTH of the range is their right-to-left fold. */
export function perfectSubtrees(start: number, end: number): SubtreeRef[] {
  const out: SubtreeRef[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (size * 2 <= end - at) size *= 2;
    if (at % size !== 0) throw new Error(`range [${start}, ${end}) is not made of aligned perfect subtrees`);
    out.push({ level: Math.log2(size), index: at / size });
    at += size;
  }
  return out;
}

export function foldRight(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return emptyRoot();
  let h = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return h;
}

export type Range = [start: number, end: number];

/** RFC 6962 PATH(m, D[0:n]) as the ranges whose subtree hashes form the audit path, deepest first. */
export function inclusionProofPlan(leafIndex: number, treeSize: number): Range[] {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new RangeError('leaf index outside the tree');
  const out: Range[] = [];
  const walk = (m: number, lo: number, hi: number) => {
    const n = hi - lo;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, lo, lo + k);
      out.push([lo + k, hi]);
    } else {
      walk(m - k, lo + k, hi);
      out.push([lo, lo + k]);
    }
  };
  walk(leafIndex, 0, treeSize);
  return out;
}

/** RFC 6962 PROOF(m, D[n]) = SUBPROOF(m, D[0:n], true) as ranges. */
export function consistencyProofPlan(m: number, n: number): Range[] {
  if (!(m >= 0 && m <= n)) throw new RangeError('sizes out of order');
  if (m === 0 || m === n) return [];
  const out: Range[] = [];
  const sub = (mm: number, lo: number, hi: number, complete: boolean) => {
    const size = hi - lo;
    if (mm === size) {
      if (!complete) out.push([lo, hi]);
      return;
    }
    const k = splitPoint(size);
    if (mm <= k) {
      sub(mm, lo, lo + k, complete);
      out.push([lo + k, hi]);
    } else {
      sub(mm - k, lo + k, hi, false);
      out.push([lo, lo + k]);
    }
  };
  sub(m, 0, n, true);
  return out;
}

/**
 * The audit paths of many leaves of one tree at once (ascending leaf indexes): every distinct path element once, in
 * `ranges`, and for each leaf the indexes into `ranges` of its path, deepest first — the same elements as
 * inclusionProofPlan gives leaf by leaf, found in one descent that visits each shared node once.
 */
export function inclusionPaths(leaves: number[], treeSize: number): { ranges: Range[]; paths: number[][] } {
  leaves.forEach((leaf, i) => {
    if (!(leaf >= 0 && leaf < treeSize)) throw new RangeError('leaf index outside the tree');
    if (i > 0 && leaf < leaves[i - 1]) throw new RangeError('leaf indexes must be ascending');
  });
  const ranges: Range[] = [];
  const paths: number[][] = new Array<number[]>(leaves.length);
  const above: number[] = [];
  // leaves[from, to) all lie in [lo, hi); `above` holds the path elements of [lo, hi), highest first.
  const descend = (lo: number, hi: number, from: number, to: number) => {
    if (hi - lo === 1) {
      const path = above.slice().reverse();
      for (let i = from; i < to; i++) paths[i] = path;
      return;
    }
    const mid = lo + splitPoint(hi - lo);
    let split = from;
    let end = to;
    while (split < end) {
      const probe = (split + end) >>> 1;
      if (leaves[probe] < mid) split = probe + 1;
      else end = probe;
    }
    if (split > from) {
      above.push(ranges.push([mid, hi]) - 1);
      descend(lo, mid, from, split);
      above.pop();
    }
    if (to > split) {
      above.push(ranges.push([lo, mid]) - 1);
      descend(mid, hi, split, to);
      above.pop();
    }
  };
  if (leaves.length > 0) descend(0, treeSize, 0, leaves.length);
  return { ranges, paths };
}

/** Every perfect subtree a plan needs, so a caller can fetch them in one query. */
export function subtreesOf(plan: Range[]): SubtreeRef[] {
  return plan.flatMap(([a, b]) => perfectSubtrees(a, b));
}

export function assembleProof(plan: Range[], lookup: (level: number, index: number) => Buffer): Buffer[] {
  return plan.map(([a, b]) => foldRight(perfectSubtrees(a, b).map((s) => lookup(s.level, s.index))));
}

/** Appends leaves to a frontier (the perfect subtrees of [0, size), largest first), reporting the subtrees completed. */
export function appendLeaves(
  frontier: Subtree[],
  leafHashes: Buffer[],
  size: number,
): { frontier: Subtree[]; completed: Subtree[] } {
  const stack = frontier.slice();
  const completed: Subtree[] = [];
  let n = size;
  for (const hash of leafHashes) {
    let node: Subtree = { level: 0, index: n, hash };
    while (stack.length > 0 && stack[stack.length - 1].level === node.level) {
      const left = stack.pop() as Subtree;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push(node);
    }
    stack.push(node);
    n++;
  }
  return { frontier: stack, completed };
}

export function rootFromFrontier(frontier: Subtree[]): Buffer {
  return foldRight(frontier.map((s) => s.hash));
}

/** A tree kept in memory and computed from the RFC's recursive definitions: the reference the tests compare with. */
export class InMemoryMerkleTree {
  private readonly leaves: Buffer[] = [];

  append(leaf: Buffer): void {
    this.leaves.push(leaf);
  }

  get size(): number {
    return this.leaves.length;
  }

  root(size = this.leaves.length): Buffer {
    return this.mth(0, size);
  }

  inclusionProof(index: number, size: number): Buffer[] {
    const path = (m: number, lo: number, hi: number): Buffer[] => {
      if (hi - lo === 1) return [];
      const k = splitPoint(hi - lo);
      return m < k
        ? [...path(m, lo, lo + k), this.mth(lo + k, hi)]
        : [...path(m - k, lo + k, hi), this.mth(lo, lo + k)];
    };
    return path(index, 0, size);
  }

  consistencyProof(m: number, n: number): Buffer[] {
    if (m === 0 || m === n) return [];
    const sub = (mm: number, lo: number, hi: number, b: boolean): Buffer[] => {
      if (mm === hi - lo) return b ? [] : [this.mth(lo, hi)];
      const k = splitPoint(hi - lo);
      return mm <= k
        ? [...sub(mm, lo, lo + k, b), this.mth(lo + k, hi)]
        : [...sub(mm - k, lo + k, hi, false), this.mth(lo, lo + k)];
    };
    return sub(m, 0, n, true);
  }

  private mth(lo: number, hi: number): Buffer {
    if (hi - lo === 0) return emptyRoot();
    if (hi - lo === 1) return this.leaves[lo];
    const k = splitPoint(hi - lo);
    return nodeHash(this.mth(lo, lo + k), this.mth(lo + k, hi));
  }
}

/**
 * The perfect subtrees of level ≥ minLevel whose last leaf lies in [start, end), as index ranges per level: the
 * nodes an append of those leaves completes, so a caller can fetch the stored ones in one range query per level.
 */
export function subtreesEndingIn(
  start: number,
  end: number,
  minLevel: number,
): { level: number; from: number; to: number }[] {
  const out: { level: number; from: number; to: number }[] = [];
  for (let level = minLevel, span = 2 ** minLevel; span <= end; level++, span *= 2) {
    const from = Math.floor(start / span);
    const to = Math.floor(end / span);
    if (to > from) out.push({ level, from, to });
  }
  return out;
}

/**
 * A compact range over the leaves appended so far, kept in place: the root of the tree of the current size costs a
 * fold of at most log2(size) hashes, so the roots of many prefix sizes come out of one pass over the leaves. Hashes
 * go in and come out as hex, the form the log is read in: a pass over a million leaves hashes a million nodes, and
 * strings cost the garbage collector far less than as many Buffers.
 */
export class CompactRange {
  private readonly pair = Buffer.alloc(65, 1);
  private readonly hashes: string[] = [];
  private readonly levels: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash; `completed` hears of every subtree of level ≥ minLevel the leaf completes, lowest first. */
  append(
    leafHex: string,
    completed?: (level: number, index: number, hashHex: string) => void,
    minLevel = 1,
  ): void {
    let hash = leafHex;
    let level = 0;
    let index = this.count;
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      this.levels.pop();
      hash = this.nodeHash(this.hashes.pop() as string, hash);
      level++;
      index = Math.floor(index / 2);
      if (completed && level >= minLevel) completed(level, index, hash);
    }
    this.hashes.push(hash);
    this.levels.push(level);
    this.count++;
  }

  /** The RFC 6962 root of the leaves appended so far, in hex. */
  root(): string {
    if (this.hashes.length === 0) return emptyRoot().toString('hex');
    let root = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) root = this.nodeHash(this.hashes[i], root);
    return root;
  }

  /** nodeHash over hex, in one call where Node has crypto.hash. */
  private nodeHash(leftHex: string, rightHex: string): string {
    if (typeof crypto.hash !== 'function')
      return nodeHash(Buffer.from(leftHex, 'hex'), Buffer.from(rightHex, 'hex')).toString('hex');
    this.pair.write(leftHex, 1, 'hex');
    this.pair.write(rightHex, 33, 'hex');
    return crypto.hash('sha256', this.pair, 'hex');
  }
}
