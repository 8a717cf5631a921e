import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { RelistingSignalKind } from '../relisting-groups/relisting.entity';
import type { ImageHash, ImageHashAlgorithm } from './image-hash';
import type { FingerprintIndex, ImageMatch } from './fingerprint-index';
import { FingerprintIndexService } from './fingerprint-index.service';
import { FingerprintsRepository, SellerQuery } from './fingerprints.repository';
import { WatchlistRepository } from '../keywords/watchlist.repository';
import { termsInFolded, WatchTerm } from '../keywords/watchlist';
import { normaliseSellerName, normaliseTitle, titleTokens } from './title-normalisation';

/** What is matched: a listing's evidence, or a screening's item. */
export interface MatchQuery {
  title?: string | null;
  imageHashes?: ImageHash[] | null;
  sellerRef?: string | null;
  sellerName?: string | null;
  /** The listing's marketplace: a sellerRef means something only there. */
  marketplaceId?: string | null;
}

/** One match, in full; what a caller is shown of it is match-visibility.ts's business. */
export interface Match {
  signal: RelistingSignalKind;
  /** The taken-down link matched; null for a keyword. */
  linkId: string | null;
  marketplaceId: string | null;
  batchReference: string | null;
  algorithm?: ImageHashAlgorithm;
  distance?: number;
  similarity?: number;
  term?: string;
}

/** Matches per signal per item beyond this many are left out (the closest are kept). */
export const MATCH_CAP = 50;

/** One item's closest matches per signal, before their links are looked up. */
interface ItemMatches {
  images: ImageMatch[];
  similar: { id: number; similarity: number }[];
  keywords: WatchTerm[];
}

/** The longest the search runs before it lets the event loop serve other requests. */
const SLICE_MS = 2;

/** How a search lets the event loop go on between slices: by default, for one turn. */
export type Pace = () => Promise<void>;
const nextTurn: Pace = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Matches listings against every kept fingerprint of a taken-down listing, by the four signals: image (Hamming
 * distance), title (trigram similarity of normalised titles), seller (the same sellerRef on the same marketplace, or
 * the same normalised name anywhere) and keyword (a watchlist term among the title's words, after the same folding).
 */
@Injectable()
export class MatchingEngine {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly index: FingerprintIndexService,
    private readonly fingerprints: FingerprintsRepository,
    private readonly watchlist: WatchlistRepository,
  ) {}

  /** `pace` is awaited between slices of the search (background work passes one that steps aside for requests). */
  async match(m: EntityManager, queries: MatchQuery[], pace: Pace = nextTurn): Promise<Match[][]> {
    if (queries.length === 0) return [];
    const index = await this.index.current(m);
    const titles = queries.map((q) => (q.title ? normaliseTitle(q.title) : ''));
    const unaccented = await this.fingerprints.unaccent(m, titles);
    const terms = await this.watchlist.activeTerms(m);
    const sellers = await this.fingerprints.sellers(m, sellerQueries(queries));
    const found = await this.search(index, queries, unaccented, terms, pace);
    const ids = new Set<number>(sellers.map((s) => Number(s.id)));
    for (const f of found) {
      for (const x of f.images) ids.add(x.id);
      for (const x of f.similar) ids.add(x.id);
    }
    const links = new Map((await this.fingerprints.links(m, [...ids])).map((l) => [Number(l.id), l]));
    const of = (id: number) => {
      const l = links.get(id)!;
      return { linkId: l.link_id, marketplaceId: l.marketplace_id, batchReference: l.batch_reference };
    };
    const bySeller = new Map<number, number[]>();
    for (const s of sellers) bySeller.set(s.index, [...(bySeller.get(s.index) ?? []), Number(s.id)]);
    return found.map((f, i): Match[] => [
      ...f.images.map((x): Match => ({
        signal: 'image',
        ...of(x.id),
        algorithm: x.algorithm,
        distance: x.distance,
      })),
      ...f.similar.map((x): Match => ({ signal: 'title', ...of(x.id), similarity: round(x.similarity) })),
      ...(bySeller.get(i) ?? []).map((id): Match => ({ signal: 'seller', ...of(id) })),
      ...f.keywords.map((k): Match => ({
        signal: 'keyword',
        linkId: null,
        marketplaceId: null,
        batchReference: null,
        term: k.term,
      })),
    ]);
  }

  /**
   * Each item's closest images, titles and watchlist terms from the in-process index. A thousand titles against a
   * million fingerprints take seconds: every SLICE_MS the event loop serves other requests.
   */
  private async search(
    index: FingerprintIndex,
    queries: MatchQuery[],
    unaccented: string[],
    terms: WatchTerm[],
    pace: Pace,
  ): Promise<ItemMatches[]> {
    const { phashDistance, pdqDistance, titleSimilarityPercent } = this.config.matching;
    const found: ItemMatches[] = [];
    let slice = performance.now();
    for (const [i, q] of queries.entries()) {
      if (performance.now() - slice > SLICE_MS) {
        await pace();
        slice = performance.now();
      }
      const images = index
        .searchImages(q.imageHashes ?? [], { phash: phashDistance, pdq: pdqDistance })
        .sort((a, b) => a.distance - b.distance || a.id - b.id)
        .slice(0, MATCH_CAP);
      const similar = unaccented[i]
        ? index.titles
            .search(unaccented[i], titleSimilarityPercent / 100)
            .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
            .slice(0, MATCH_CAP)
        : [];
      const tokens = titleTokens(unaccented[i] ?? '');
      const keywords = termsInFolded(tokens, terms).slice(0, MATCH_CAP);
      found.push({ images, similar, keywords });
    }
    return found;
  }
}

/** The items that name a seller, as the seller look-up takes them (a sellerRef means something only on its marketplace). */
function sellerQueries(queries: MatchQuery[]): SellerQuery[] {
  return queries.flatMap((q, index) =>
    q.sellerRef || q.sellerName
      ? [
          {
            index,
            marketplaceId: q.sellerRef ? (q.marketplaceId ?? null) : null,
            sellerRef: q.sellerRef ?? null,
            sellerName: q.sellerName ? normaliseSellerName(q.sellerName) || null : null,
          },
        ]
      : [],
  );
}

/** Similarities as shown: four decimals (the comparison itself used pg_trgm's float4). */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
