/** Checking RFC 9162 proofs as a client does: from hashes only, never trusting their shape. */
import { nodeHash } from './merkle-hash';

/** RFC 9162 §2.1.3.2. Returns false, never throws, on any malformed input. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Buffer,
  proof: Buffer[],
  root: Buffer,
): boolean {
  if (
    !Number.isSafeInteger(leafIndex) ||
    !Number.isSafeInteger(treeSize) ||
    leafIndex < 0 ||
    leafIndex >= treeSize
  )
    return false;
  if (leaf.length !== 32 || root.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) [fn, sn] = shiftWhileEven(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2, with the edge cases of transparency-dev/merkle. Never throws. */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Buffer,
  root2: Buffer,
  proof: Buffer[],
): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1)
    return false;
  if (proof.some((p) => p.length !== 32)) return false;
  // As transparency-dev/merkle: consistency with the empty tree proves nothing and is refused.
  if (size1 === 0) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (proof.length === 0 || root1.length !== 32 || root2.length !== 32) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) [fn, sn] = shiftWhileEven(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}

/** Both indexes right-shifted until the first has its lowest bit set or is zero (RFC 9162's proof loops). */
function shiftWhileEven(fn: number, sn: number): [number, number] {
  do {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  } while (fn % 2 === 0 && fn !== 0);
  return [fn, sn];
}
