import { KeyObject, sign, verify } from 'node:crypto';

/** A signed statement that the log held `treeSize` events with this Merkle root at `issuedAt`. */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: string;
  issuedAt: string;
  keyId: string;
  note: string;
  signature: string;
}

/** The signed text: origin, size, root (hex) and time on their own lines, in the style of RFC 6962 / C2SP checkpoints. */
export function checkpointNote(origin: string, treeSize: number, rootHash: string, issuedAt: string): string {
  return `${origin}\n${treeSize}\n${rootHash}\n${issuedAt}\n`;
}

export function signCheckpoint(
  key: KeyObject,
  keyId: string,
  origin: string,
  treeSize: number,
  rootHash: string,
  issuedAt: string,
): Checkpoint {
  const note = checkpointNote(origin, treeSize, rootHash, issuedAt);
  return {
    origin,
    treeSize,
    rootHash,
    issuedAt,
    keyId,
    note,
    signature: sign(null, Buffer.from(note), key).toString('base64'),
  };
}

/**
 * Holds only if the signature covers the note, the note says what the fields say, and (given the previous
 * checkpoint) time moved forward and the tree did not shrink.
 */
export function verifyCheckpoint(cp: Checkpoint, publicKey: KeyObject, previous?: Checkpoint): boolean {
  try {
    if (cp.note !== checkpointNote(cp.origin, cp.treeSize, cp.rootHash, cp.issuedAt)) return false;
    if (!/^[0-9a-f]{64}$/.test(cp.rootHash) || !Number.isSafeInteger(cp.treeSize) || cp.treeSize < 0)
      return false;
    if (!verify(null, Buffer.from(cp.note), publicKey, Buffer.from(cp.signature, 'base64'))) return false;
    if (previous) {
      if (Date.parse(cp.issuedAt) <= Date.parse(previous.issuedAt)) return false;
      if (cp.treeSize < previous.treeSize) return false;
    }
    return true;
  } catch {
    return false;
  }
}
