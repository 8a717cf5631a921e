import {
  EventBody,
  linkLine,
  linkSetDigest,
  PackageLink,
  replayLink,
  replayRequest,
  RequestStory,
  sellerRecordsCommitment,
} from '../evidence-requests/evidence-package';
import type { Manifest } from './evidence-verifier';
import { Checks, describe, firstDifference, message, textLines } from './verifier-report';

/** The events of the package by entity id, those of each entity in seq order. */
export type EventsByEntity = Map<string, EventBody[]>;

/** The parts of the request that were fulfilled, by marketplace id. */
export type FulfilledParts = Map<string, RequestStory['parts'][number]>;

/** The manifest's request is the one its events filed, ready, withholding the parts not fulfilled; returns those. */
export function checkRequest(c: Checks, manifest: Manifest, byEntity: EventsByEntity): FulfilledParts | null {
  const requestId = manifest.request?.id;
  let story: RequestStory;
  try {
    story = replayRequest(requestId, byEntity.get(requestId) ?? []);
  } catch (error) {
    c.check(false, `the request ${requestId} is told by its own events`, message(error));
    return null;
  }
  const requestDiff = firstDifference(manifest.request, story.request);
  c.check(requestDiff === null, `manifest.json's request is the one its events filed`, requestDiff ?? '');
  c.check(
    story.status === 'ready',
    'the request was ready when the package was made',
    `its events leave it ${story.status}`,
  );
  const withheld = story.parts
    .filter((p) => p.decision !== 'fulfil')
    .map((p) => ({ marketplaceId: p.marketplaceId, linkCount: p.links }));
  const withheldDiff = firstDifference({ withheld: manifest.withheld ?? [] }, { withheld });
  c.check(
    withheldDiff === null,
    `withheld: ${withheld.map((w) => `${w.linkCount} links of marketplace ${w.marketplaceId}`).join(', ') || 'nothing'} (the parts not fulfilled)`,
    withheldDiff ?? '',
  );
  return new Map(story.parts.filter((p) => p.decision === 'fulfil').map((p) => [p.marketplaceId, p]));
}

/** Each line of links.jsonl is its link's replay, of a fulfilled part; each part's links are the set filed. */
export function checkLinks(
  c: Checks,
  entries: Map<string, Buffer>,
  byEntity: EventsByEntity,
  fulfilled: FulfilledParts,
): PackageLink[] {
  const linkLines = textLines(entries.get('links.jsonl')!);
  const linkProblems: string[] = [];
  const links: PackageLink[] = [];
  const linkIdsOf = new Map<string, string[]>();
  for (const [i, line] of linkLines.entries()) {
    const replayed = replayedLine(`links.jsonl line ${i + 1}`, line, byEntity, fulfilled, linkProblems);
    if (!replayed) continue;
    links.push(replayed);
    linkIdsOf.set(replayed.marketplaceId, [...(linkIdsOf.get(replayed.marketplaceId) ?? []), replayed.id]);
  }
  for (const [marketplaceId, part] of fulfilled) {
    const ids = linkIdsOf.get(marketplaceId) ?? [];
    if (ids.length !== part.links)
      linkProblems.push(
        `marketplace ${marketplaceId}: ${part.links} links filed, ${ids.length} in links.jsonl`,
      );
    else if (part.linksSha256 === null || linkSetDigest(ids) !== part.linksSha256)
      linkProblems.push(
        `marketplace ${marketplaceId}: its links are not the set the filing event commits to`,
      );
  }
  c.check(
    linkLines.length > 0 && linkProblems.length === 0,
    `${linkLines.length} links in links.jsonl are exactly what their audit events say, and exactly the links filed of the fulfilled parts`,
    describe(linkProblems),
  );
  return links;
}

/** One line of links.jsonl replayed from its link's events, or null with the problem noted in `problems`. */
function replayedLine(
  at: string,
  line: string,
  byEntity: EventsByEntity,
  fulfilled: FulfilledParts,
  problems: string[],
): PackageLink | null {
  let stated: PackageLink;
  try {
    stated = JSON.parse(line) as PackageLink;
  } catch {
    problems.push(`${at}: not JSON`);
    return null;
  }
  let replayed: PackageLink;
  try {
    replayed = replayLink(stated.id, byEntity.get(stated.id) ?? []);
  } catch (error) {
    problems.push(`${at}: ${message(error)}`);
    return null;
  }
  if (linkLine(replayed) !== `${line}\n`) {
    problems.push(
      `${at}: link ${stated.id}: ${firstDifference(stated, replayed) ?? 'the line is not written as its replay'}`,
    );
    return null;
  }
  if (!fulfilled.has(replayed.marketplaceId)) {
    problems.push(
      `${at}: link ${stated.id} belongs to marketplace ${replayed.marketplaceId}, which did not fulfil`,
    );
    return null;
  }
  return replayed;
}

/** One line of seller records per fulfilling marketplace, hashing to the commitment in its answer event. */
export function checkSellerRecords(c: Checks, entries: Map<string, Buffer>, fulfilled: FulfilledParts): void {
  const recordLines = textLines(entries.get('seller-records.jsonl')!);
  const recordProblems: string[] = [];
  const answered = new Set<string>();
  for (const [i, line] of recordLines.entries()) {
    const at = `seller-records.jsonl line ${i + 1}`;
    try {
      const r = JSON.parse(line) as { marketplaceId: string; salt: string; sellerRecords: unknown[] };
      const part = fulfilled.get(r.marketplaceId);
      const found = sellerRecordsCommitment(r.salt, r.sellerRecords);
      if (!part) recordProblems.push(`${at}: marketplace ${r.marketplaceId} did not fulfil`);
      else if (answered.has(r.marketplaceId))
        recordProblems.push(`${at}: a second line for marketplace ${r.marketplaceId}`);
      else if (found !== part.sellerRecordsSha256)
        recordProblems.push(
          `${at}: marketplace ${r.marketplaceId}'s records hash to ${found}, its answer event commits to ${part.sellerRecordsSha256 ?? 'nothing'}`,
        );
      answered.add(r.marketplaceId);
    } catch {
      recordProblems.push(`${at}: not a line of seller records`);
    }
  }
  for (const marketplaceId of fulfilled.keys())
    if (!answered.has(marketplaceId))
      recordProblems.push(`marketplace ${marketplaceId} fulfilled, but its records are missing`);
  c.check(
    recordProblems.length === 0,
    `seller records of ${fulfilled.size} fulfilling marketplaces match the commitments in their answer events`,
    describe(recordProblems),
  );
}
