import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AuditRecord, linkWithdrawn } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../errors/app-error';
import type { BulkItems } from '../common/items-body';
import { decodeCursor, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { AcknowledgementItem, readAcknowledgement } from './acknowledgement-items';
import { judgeAcknowledgement, LockedLink } from './acknowledgement-rules';
import {
  AcknowledgementResult,
  AcknowledgementResultsResponseDto,
  ListLinksQueryDto,
  WithdrawLinkDto,
} from './dto/link.dto';
import { LinkDetailResponseDto, LinkListResponseDto, LinkResponseDto } from './dto/link-response.dto';
import { canTransition } from './link-state';
import { toLinkView } from './link.view';
import { LinkFilter, LinksRepository } from './links.repository';
import { marketplacesIn, ReaderScope, readerScopeOf } from './reader-scope';
import type { MatchingWork } from '../matching/matching-jobs.repository';
import { MatchingWorker } from '../matching/matching-worker.service';
import { visibleMatch } from '../matching/match-visibility';
import { RelistingGroupsRepository } from '../relisting-groups/relisting-groups.repository';

@Injectable()
export class LinksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly auditReader: AuditService,
    private readonly directory: MarketplaceDirectory,
    private readonly links: LinksRepository,
    private readonly matching: MatchingWorker,
    private readonly signals: RelistingGroupsRepository,
  ) {}

  async list(actor: Actor, q: ListLinksQueryDto): Promise<LinkListResponseDto> {
    const limit = q.limit ?? 100;
    const filter: LinkFilter = {
      batchId: q.batchId,
      marketplaceId: q.marketplaceId,
      status: q.status,
      source: q.source,
      priority: q.priority,
      relisted: q.relisted ? q.relisted === 'true' : undefined,
      overdue: q.overdue === 'true' ? true : q.overdue === 'false' ? false : undefined,
      reappeared: q.reappeared ? q.reappeared === 'true' : undefined,
      recheckDue: q.recheckDue ? q.recheckDue === 'true' : undefined,
      recheckScheduleDays: this.config.recheckScheduleDays,
      updatedSince: q.updatedSince,
    };
    const polling = !!q.updatedSince;
    const after = polling ? decodeCursor(q.cursor, ['timestamp', 'uuid']) : decodeCursor(q.cursor, ['uuid']);
    const m = this.tx.dataSource.manager;
    const scope = await this.scope(actor);
    const rows = await this.links.list(m, scope, filter, { limit, after });
    const keyOf = polling ? (v: LinkResponseDto) => [v.updatedAt, v.id] : (v: LinkResponseDto) => [v.id];
    return toPage(await this.withSignals(m, scope, rows.map(toLinkView)), limit, keyOf);
  }

  async get(actor: Actor, id: string): Promise<LinkDetailResponseDto> {
    const view = await this.view(this.tx.dataSource.manager, actor, id);
    const [matchingPending, history] = await Promise.all([
      this.matching.pendingFor(id),
      this.auditReader.eventsOf(actor, id),
    ]);
    return { ...view, matchingPending, history };
  }

  /** A link as the caller may see it, read with the given manager (inside a transaction: what it wrote). */
  private async view(m: EntityManager, actor: Actor, id: string): Promise<LinkResponseDto> {
    const scope = await this.scope(actor);
    const row = await this.links.findVisible(m, scope, id);
    if (!row) throw AppError.notFound('Link');
    const [view] = await this.withSignals(m, scope, [toLinkView(row)]);
    return view;
  }

  /** Items are judged one by one; the accepted ones are written with one UPDATE and their events in one insert. */
  async acknowledge(actor: Actor, dto: BulkItems): Promise<AcknowledgementResultsResponseDto> {
    const items = dto.items.map(readAcknowledgement);
    const ids = [
      ...new Set(items.filter((i): i is AcknowledgementItem => typeof i !== 'string').map((i) => i.linkId)),
    ].sort();
    const owned = await this.directory.ownedBy(actor);
    const answer = await this.tx.answer(async (m) => {
      const now = new Date();
      const links = new Map((await this.links.lockForAcknowledgement(m, ids, owned)).map((l) => [l.id, l]));
      const changed = new Map<string, LockedLink>();
      const events: AuditRecord[] = [];
      const results = items.map((item, index): AcknowledgementResult => {
        if (typeof item === 'string')
          return { linkId: rawLinkId(dto.items[index]), ok: false, status: null, error: item };
        // The caller's agency runs these marketplaces: it is the party of every event written here.
        const { result, change } = judgeAcknowledgement(links.get(item.linkId), item, now, actor.agencyId);
        if (change) {
          links.set(change.link.id, change.link);
          changed.set(change.link.id, change.link);
          events.push(change.event);
        }
        return result;
      });
      if (changed.size > 0) {
        await this.links.updateAcknowledged(m, [...changed.values()], now);
        await this.matching.enqueue(m, arrivals(items, links, changed), now);
        await this.audit.append(m, actor, events, now);
      }
      return { results };
    });
    this.matching.kick();
    return answer;
  }

  /** Withdrawing a withdrawn link changes nothing; withdrawing another final link is a 409 naming its status. */
  async withdraw(actor: Actor, id: string, dto: WithdrawLinkDto): Promise<LinkResponseDto> {
    return this.tx.answer(async (m) => {
      const link = await this.links.lockForWithdrawal(m, id, actor.agencyId as string);
      if (!link) throw AppError.notFound('Link');
      if (link.notifier_agency_id !== null && link.notifier_agency_id !== actor.agencyId) {
        if (!link.co_notified) throw AppError.notFound('Link');
        throw AppError.forbidden(
          'Only the ministry that notified the link first withdraws it; a co-notifier follows it',
        );
      }
      if (link.status === 'withdrawn') return this.view(m, actor, id);
      if (!canTransition(link.status, 'withdrawn', 'ministry')) {
        throw AppError.conflict(
          'LINK_INVALID_TRANSITION',
          `The link is ${link.status}; only pending or acknowledged links can be withdrawn`,
        );
      }
      const now = new Date();
      await this.links.withdraw(m, id, dto.reason, now);
      await this.audit.record(m, actor, linkWithdrawn(id, link.agency_id, link.status, dto.reason), now);
      return this.view(m, actor, id);
    });
  }

  /** Each link with what matching found when its listing evidence arrived, as the scope may see it. */
  private async withSignals(
    m: EntityManager,
    scope: ReaderScope,
    views: LinkResponseDto[],
  ): Promise<LinkResponseDto[]> {
    const signals = await this.signals.signalsOf(
      m,
      views.map((v) => v.id),
    );
    const byLink = new Map<string, LinkResponseDto['relistingSignals']>();
    for (const s of signals) {
      const match = visibleMatch(
        {
          signal: s.signal,
          linkId: s.matched_link_id,
          marketplaceId: s.matched_marketplace_id,
          batchReference: s.batch_reference,
          ...(s.algorithm ? { algorithm: s.algorithm } : {}),
          ...(s.distance !== null ? { distance: s.distance } : {}),
          ...(s.similarity !== null ? { similarity: Math.round(s.similarity * 10_000) / 10_000 } : {}),
          ...(s.term ? { term: s.term } : {}),
        },
        marketplacesIn(scope),
      );
      byLink.set(s.link_id, [...(byLink.get(s.link_id) ?? []), match]);
    }
    return views.map((v) => ({ ...v, relistingSignals: byLink.get(v.id) ?? [] }));
  }

  private scope(actor: Actor): Promise<ReaderScope> {
    return readerScopeOf(actor, this.directory);
  }
}

function rawLinkId(item: unknown): string {
  const id = (item as { linkId?: unknown } | null)?.linkId;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}

/**
 * What matching learns from the accepted items: listing evidence that arrived (an item that changed its link and
 * carried a listing) is matched, and a link now taken down with evidence that arrived earlier is kept.
 */
function arrivals(
  items: (AcknowledgementItem | string)[],
  links: Map<string, LockedLink>,
  changed: Map<string, LockedLink>,
): MatchingWork {
  const withEvidence = new Set(
    items.flatMap((i) => (typeof i !== 'string' && i.listing && changed.has(i.linkId) ? [i.linkId] : [])),
  );
  const work: MatchingWork = { arrived: [], kept: [] };
  for (const link of changed.values()) {
    const final = links.get(link.id) ?? link;
    if (!final.listing) continue;
    if (withEvidence.has(final.id)) work.arrived.push(final.id);
    else if (final.status === 'taken_down') work.kept.push(final.id);
  }
  return work;
}
