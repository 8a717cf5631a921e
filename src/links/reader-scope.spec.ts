import { linkVisibleTo } from './reader-scope';

const A = '6f9619ff-8b86-4011-b42d-00cf4fc964ff';
const B = '7f9619ff-8b86-4011-b42d-00cf4fc964ff';

describe('linkVisibleTo', () => {
  it('limits a one-marketplace scope by equality, which an index walks in id order', () => {
    const [text, parameters] = linkVisibleTo([A]) as readonly [string, unknown[]];
    expect(text.trim()).toMatch(/^l\.marketplace_id = \$1::uuid$/);
    expect(parameters).toEqual([A]);
  });

  it('limits a scope of several marketplaces, or of none, to those in it', () => {
    const [several, params] = linkVisibleTo([A, B], 'x') as readonly [string, unknown[]];
    expect(several.trim()).toMatch(/^x\.marketplace_id = ANY\(\$1::uuid\[\]\)$/);
    expect(params).toEqual([[A, B]]);
    expect((linkVisibleTo([]) as readonly [string, unknown[]])[1]).toEqual([[]]);
  });

  it('adds nothing for a caller who sees every link', () => {
    expect(linkVisibleTo(null)).toBe(false);
  });
});
