import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { BulkItems } from '../common/items-body';
import { HeavyWork } from '../database/heavy-work';
import { TransactionService } from '../database/transaction.service';
import { AppError } from '../errors/app-error';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { parseSubmittedUrl } from '../marketplaces/url/canonical-url';
import { ScreeningResponseDto } from './dto/screening.dto';
import { visibleMatch } from './match-visibility';
import { WatchlistRepository } from '../keywords/watchlist.repository';
import { MatchingEngine } from './matching-engine';
import { readScreeningItems } from './screening-items';

/** Screenings of more items than this go through the queue of expensive work. */
const SMALL_SCREENING = 100;

/** Checks listings before they go live against everything taken down; writes only the watchlist's hits. */
@Injectable()
export class ScreeningsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly directory: MarketplaceDirectory,
    private readonly engine: MatchingEngine,
    private readonly heavy: HeavyWork,
    private readonly watchlist: WatchlistRepository,
  ) {}

  /** A large screening waits its turn in the queue of expensive work (503 when that is full); a small one runs. */
  screen(actor: Actor, dto: BulkItems): Promise<ScreeningResponseDto> {
    if (dto.items.length > SMALL_SCREENING) return this.heavy.run(() => this.run(actor, dto));
    return this.run(actor, dto);
  }

  private async run(actor: Actor, dto: BulkItems): Promise<ScreeningResponseDto> {
    const { items, errors } = readScreeningItems(dto.items);
    if (errors.length > 0) throw AppError.validation(errors);
    const owned = await this.directory.ownedBy(actor);
    const router = await this.directory.router();
    // A sellerRef is a marketplace's own: the item's URL names which, or the marketplace calling (when it runs one).
    const marketplaceOf = (url: string | null): string | null => {
      const parsed = url ? parseSubmittedUrl(url) : null;
      if (parsed?.ok) return router.route(parsed.parts.host)?.marketplaceId ?? null;
      return owned.length === 1 ? owned[0] : null;
    };
    const scope = actor.role === 'marketplace' ? owned : null;
    const now = new Date();
    // Through answer(): a retry with the same Idempotency-Key gets the same answer (and counts no hit twice).
    return this.tx.answer(async (m) => {
      const queries = items.map((i) => ({
        title: i.title,
        imageHashes: i.imageHashes,
        sellerRef: i.sellerRef,
        sellerName: i.sellerName,
        marketplaceId: marketplaceOf(i.url),
      }));
      const matches = await this.engine.match(m, queries);
      await this.watchlist.recordHits(
        m,
        queries.flatMap((q) =>
          q.title
            ? [
                {
                  title: q.title,
                  marketplaceId: q.marketplaceId,
                  linkId: null,
                  source: 'screening' as const,
                  seenAt: now,
                },
              ]
            : [],
        ),
      );
      return {
        results: items.map((item, i) => ({
          ref: item.ref,
          matches: matches[i].map((x) => visibleMatch(x, scope)),
        })),
      };
    });
  }
}
