import { createHash } from 'node:crypto';
import { appendLeaves, CompactRange, InMemoryMerkleTree, Subtree, subtreesEndingIn } from './merkle';

const leaf = (i: number) => createHash('sha256').update(`leaf ${i}`).digest();
const hex = (i: number) => leaf(i).toString('hex');

describe('CompactRange', () => {
  it('gives the RFC 6962 root at every size it passes through', () => {
    const reference = new InMemoryMerkleTree();
    const range = new CompactRange();
    expect(range.root()).toBe(reference.root().toString('hex'));
    for (let i = 0; i < 300; i++) {
      reference.append(leaf(i));
      range.append(hex(i));
      expect({ size: range.size, root: range.root() }).toEqual({
        size: i + 1,
        root: reference.root().toString('hex'),
      });
    }
  });

  it('reports the subtrees it completes, as the frontier appends of the Merkle tree service do', () => {
    const seen: Subtree[] = [];
    const range = new CompactRange();
    for (let i = 0; i < 200; i++)
      range.append(
        hex(i),
        (level, index, hash) => seen.push({ level, index, hash: Buffer.from(hash, 'hex') }),
        3,
      );
    const { completed } = appendLeaves(
      [],
      Array.from({ length: 200 }, (_, i) => leaf(i)),
      0,
    );
    expect(seen).toEqual(completed.filter((c) => c.level >= 3));
  });
});

describe('subtreesEndingIn', () => {
  it.each([
    [0, 16, 4],
    [0, 15, 4],
    [15, 16, 4],
    [16, 17, 4],
    [5, 200, 4],
    [31, 97, 1],
    [100, 1000, 4],
    [0, 0, 4],
  ])('names the subtrees that appending leaves [%i, %i) completes, from level %i', (start, end, minLevel) => {
    const range = new CompactRange();
    const completed: string[] = [];
    for (let i = 0; i < end; i++)
      range.append(hex(i), (level, index) => i >= start && completed.push(`${level}/${index}`), minLevel);
    const named = subtreesEndingIn(start, end, minLevel).flatMap(({ level, from, to }) =>
      Array.from({ length: to - from }, (_, k) => `${level}/${from + k}`),
    );
    expect(named.sort()).toEqual(completed.sort());
  });
});
