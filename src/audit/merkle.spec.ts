import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  appendLeaves,
  assembleProof,
  consistencyProofPlan,
  inclusionPaths,
  inclusionProofPlan,
  InMemoryMerkleTree,
  leafHash,
  rootFromFrontier,
  Subtree,
  subtreesOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'merkle');
const b64 = (s: string | null | undefined) => Buffer.from(s ?? '', 'base64');
const INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function vectors(kind: 'inclusion' | 'consistency'): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.json'))
        out.push([
          path.relative(FIXTURES, file),
          JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
        ]);
    }
  };
  walk(path.join(FIXTURES, kind));
  return out;
}

/** A tree built the way the audit log builds it: frontier appends, completed subtrees stored, proofs assembled from them. */
function storedTree(leaves: Buffer[]) {
  const nodes = new Map<string, Buffer>();
  leaves.forEach((h, i) => nodes.set(`0/${i}`, h));
  let frontier: Subtree[] = [];
  const roots: Buffer[] = [rootFromFrontier([])];
  for (let i = 0; i < leaves.length; i++) {
    const step = appendLeaves(frontier, [leaves[i]], i);
    frontier = step.frontier;
    for (const c of step.completed) nodes.set(`${c.level}/${c.index}`, c.hash);
    roots.push(rootFromFrontier(frontier));
  }
  const lookup = (level: number, index: number) => {
    const h = nodes.get(`${level}/${index}`);
    if (!h) throw new Error(`missing node ${level}/${index}`);
    return h;
  };
  return { roots, lookup };
}

describe('Merkle tree (RFC 6962 / 9162)', () => {
  const leaves = INPUTS.map((hex) => leafHash(Buffer.from(hex, 'hex')));

  it('computes the roots of trees of 0 to 8 leaves', () => {
    const { roots } = storedTree(leaves);
    expect(roots.map((r) => r.toString('hex'))).toEqual(ROOTS);
    const ref = new InMemoryMerkleTree();
    leaves.forEach((l) => ref.append(l));
    expect(ROOTS.map((_, n) => ref.root(n).toString('hex'))).toEqual(ROOTS);
  });

  describe.each(vectors('inclusion'))('inclusion vector %s', (_name, v) => {
    it(`${v.wantErr ? 'is refused' : 'verifies'}`, () => {
      const ok = verifyInclusion(
        v.leafIdx as number,
        v.treeSize as number,
        b64(v.leafHash as string),
        ((v.proof as string[] | null) ?? []).map(b64),
        b64(v.root as string),
      );
      expect(ok).toBe(!v.wantErr);
    });
  });

  describe.each(vectors('consistency'))('consistency vector %s', (_name, v) => {
    it(`${v.wantErr ? 'is refused' : 'verifies'}`, () => {
      const ok = verifyConsistency(
        v.size1 as number,
        v.size2 as number,
        b64(v.root1 as string),
        b64(v.root2 as string),
        ((v.proof as string[] | null) ?? []).map(b64),
      );
      expect(ok).toBe(!v.wantErr);
    });
  });

  describe('proofs assembled from stored subtrees', () => {
    const N = 300;
    const many = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
    const ref = new InMemoryMerkleTree();
    many.forEach((l) => ref.append(l));
    const stored = storedTree(many);
    const sizes = [
      1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 300,
    ];
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;

    it('roots from the frontier equal the reference at every size', () => {
      for (let n = 0; n <= N; n++) expect(stored.roots[n].equals(ref.root(n))).toBe(true);
    });

    it.each(sizes)('inclusion proofs at tree size %i equal the reference and verify', (size) => {
      for (let k = 0; k < 20; k++) {
        const i = rnd(size);
        const proof = assembleProof(inclusionProofPlan(i, size), stored.lookup);
        expect(proof).toEqual(ref.inclusionProof(i, size));
        expect(verifyInclusion(i, size, many[i], proof, ref.root(size))).toBe(true);
      }
    });

    it.each(sizes)('consistency proofs to tree size %i equal the reference and verify', (size) => {
      for (let k = 0; k < 20; k++) {
        const m = 1 + rnd(size);
        const proof = assembleProof(consistencyProofPlan(m, size), stored.lookup);
        expect(proof).toEqual(ref.consistencyProof(m, size));
        expect(verifyConsistency(m, size, ref.root(m), ref.root(size), proof)).toBe(true);
      }
    });

    it.each(sizes)('paths of many leaves at once at tree size %i equal the single-leaf proofs', (size) => {
      const leaves = [...new Set(Array.from({ length: 1 + rnd(size) }, () => rnd(size)))].sort(
        (a, b) => a - b,
      );
      const { ranges, paths } = inclusionPaths(leaves, size);
      const hashes = assembleProof(ranges, stored.lookup);
      expect(paths).toHaveLength(leaves.length);
      leaves.forEach((leaf, i) =>
        expect(paths[i].map((r) => hashes[r])).toEqual(ref.inclusionProof(leaf, size)),
      );
      expect(new Set(ranges.map(([a, b]) => `${a}:${b}`)).size).toBe(ranges.length);
    });

    it('refuses leaves out of order or outside the tree', () => {
      expect(() => inclusionPaths([3, 2], 8)).toThrow(RangeError);
      expect(() => inclusionPaths([8], 8)).toThrow(RangeError);
      expect(inclusionPaths([], 8)).toEqual({ ranges: [], paths: [] });
    });

    it('names every subtree a plan needs', () => {
      const refs = subtreesOf(inclusionProofPlan(5, 300));
      expect(refs.every((r) => r.index * 2 ** r.level < 300)).toBe(true);
    });
  });

  describe('mutations of a valid proof are refused', () => {
    const N = 97;
    const many = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`m ${i}`)));
    const ref = new InMemoryMerkleTree();
    many.forEach((l) => ref.append(l));
    const flip = (b: Buffer, bit: number) => {
      const c = Buffer.from(b);
      c[bit >> 3] ^= 1 << (bit & 7);
      return c;
    };

    it.each([
      [0, 1],
      [5, 6],
      [13, 97],
      [64, 97],
      [96, 97],
      [31, 64],
    ])('inclusion of leaf %i in a tree of %i', (i, size) => {
      const proof = ref.inclusionProof(i, size);
      const root = ref.root(size);
      const leaf = many[i];
      expect(verifyInclusion(i, size, leaf, proof, root)).toBe(true);
      const bad: [string, boolean][] = [
        ['index + 1', verifyInclusion(i + 1, size, leaf, proof, root)],
        ['index - 1', i > 0 ? verifyInclusion(i - 1, size, leaf, proof, root) : false],
        // The size shapes the path: a size with another shape must fail (one with the same shape legitimately passes).
        ['size * 2', verifyInclusion(i, size * 2, leaf, proof, root)],
        ['size / 2', size >= 2 ? verifyInclusion(i, Math.floor(size / 2), leaf, proof, root) : false],
        ['wrong root', verifyInclusion(i, size, leaf, proof, flip(root, 0))],
        ['wrong leaf', verifyInclusion(i, size, flip(leaf, 255), proof, root)],
        ['element added', verifyInclusion(i, size, leaf, [...proof, root], root)],
        [
          'element dropped',
          proof.length > 0 ? verifyInclusion(i, size, leaf, proof.slice(0, -1), root) : false,
        ],
        [
          'elements swapped',
          proof.length > 1
            ? verifyInclusion(i, size, leaf, [proof[1], proof[0], ...proof.slice(2)], root)
            : false,
        ],
      ];
      proof.forEach((_, k) => {
        for (const bit of [0, 100, 255])
          bad.push([
            `bit ${bit} of element ${k}`,
            verifyInclusion(
              i,
              size,
              leaf,
              proof.map((p, j) => (j === k ? flip(p, bit) : p)),
              root,
            ),
          ]);
      });
      expect(bad.filter(([, ok]) => ok)).toEqual([]);
    });

    it.each([
      [1, 2],
      [3, 7],
      [4, 8],
      [6, 97],
      [64, 97],
      [33, 65],
    ])('consistency from %i to %i', (m, n) => {
      const proof = ref.consistencyProof(m, n);
      const [r1, r2] = [ref.root(m), ref.root(n)];
      expect(verifyConsistency(m, n, r1, r2, proof)).toBe(true);
      const bad: [string, boolean][] = [
        ['size1 + 1', verifyConsistency(m + 1, n, r1, r2, proof)],
        ['size1 - 1', verifyConsistency(m - 1, n, r1, r2, proof)],
        ['size2 * 2', verifyConsistency(m, n * 2, r1, r2, proof)],
        ['swapped roots', verifyConsistency(m, n, r2, r1, proof)],
        ['wrong root1', verifyConsistency(m, n, flip(r1, 3), r2, proof)],
        ['wrong root2', verifyConsistency(m, n, r1, flip(r2, 3), proof)],
        ['element added', verifyConsistency(m, n, r1, r2, [...proof, r1])],
        ['element dropped', verifyConsistency(m, n, r1, r2, proof.slice(0, -1))],
        [
          'elements swapped',
          proof.length > 1 ? verifyConsistency(m, n, r1, r2, [proof[1], proof[0], ...proof.slice(2)]) : false,
        ],
      ];
      proof.forEach((_, k) =>
        bad.push([
          `bit of element ${k}`,
          verifyConsistency(
            m,
            n,
            r1,
            r2,
            proof.map((p, j) => (j === k ? flip(p, 77) : p)),
          ),
        ]),
      );
      expect(bad.filter(([, ok]) => ok)).toEqual([]);
    });
  });
});
