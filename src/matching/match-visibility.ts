import type { LinkScope } from '../links/links.repository';
import type { MatchResponseDto } from './dto/match-response.dto';
import type { Match } from './matching-engine';

/**
 * What a caller is shown of a match: everything when the matched link is its own (or it sees every link); of a link on
 * another marketplace only the signal, its measure and the ministry's batch reference — never that marketplace's link
 * ids, seller data or titles.
 */
export function visibleMatch(match: Match, scope: LinkScope): MatchResponseDto {
  if (match.signal === 'keyword') return { signal: 'keyword', term: match.term };
  const measure = {
    ...(match.algorithm !== undefined ? { algorithm: match.algorithm } : {}),
    ...(match.distance !== undefined ? { distance: match.distance } : {}),
    ...(match.similarity !== undefined ? { similarity: match.similarity } : {}),
  };
  const own = scope === null || (match.marketplaceId !== null && scope.includes(match.marketplaceId));
  if (!own) return { signal: match.signal, ...measure, batchReference: match.batchReference };
  return {
    signal: match.signal,
    linkId: match.linkId ?? undefined,
    marketplaceId: match.marketplaceId ?? undefined,
    ...measure,
    batchReference: match.batchReference,
  };
}
