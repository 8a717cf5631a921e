import { visibleMatch } from './match-visibility';
import type { Match } from './matching-engine';

const OURS = '00000000-0000-4000-8000-000000000001';
const THEIRS = '00000000-0000-4000-8000-000000000002';
const LINK = '00000000-0000-4000-8000-00000000000a';

const image: Match = {
  signal: 'image',
  linkId: LINK,
  marketplaceId: THEIRS,
  batchReference: 'KEMENDAG/2023/001',
  algorithm: 'phash',
  distance: 3,
};

describe('visibleMatch', () => {
  it.each<[string, Match, string[] | null, object]>([
    [
      'shows the ministry everything',
      image,
      null,
      {
        signal: 'image',
        linkId: LINK,
        marketplaceId: THEIRS,
        algorithm: 'phash',
        distance: 3,
        batchReference: 'KEMENDAG/2023/001',
      },
    ],
    [
      "shows a marketplace its own link's match in full",
      { ...image, marketplaceId: OURS },
      [OURS],
      {
        signal: 'image',
        linkId: LINK,
        marketplaceId: OURS,
        algorithm: 'phash',
        distance: 3,
        batchReference: 'KEMENDAG/2023/001',
      },
    ],
    [
      "shows a marketplace another marketplace's match only as signal, distance and batch reference",
      image,
      [OURS],
      { signal: 'image', algorithm: 'phash', distance: 3, batchReference: 'KEMENDAG/2023/001' },
    ],
    [
      'shows a title match on another marketplace by similarity alone',
      { signal: 'title', linkId: LINK, marketplaceId: THEIRS, batchReference: null, similarity: 0.8 },
      [OURS],
      { signal: 'title', similarity: 0.8, batchReference: null },
    ],
    [
      'shows a seller match on another marketplace without the seller',
      { signal: 'seller', linkId: LINK, marketplaceId: THEIRS, batchReference: null },
      [OURS],
      { signal: 'seller', batchReference: null },
    ],
    [
      'shows a keyword by its term',
      { signal: 'keyword', linkId: null, marketplaceId: null, batchReference: null, term: 'preloved' },
      [OURS],
      { signal: 'keyword', term: 'preloved' },
    ],
  ])('%s', (_, match, scope, expected) => expect(visibleMatch(match, scope)).toEqual(expected));
});
