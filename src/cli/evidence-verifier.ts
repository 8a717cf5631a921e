import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';
import { Checkpoint, verifyCheckpoint } from '../audit/checkpoint-note';
import { verifyInclusion } from '../audit/merkle';
import {
  CSV_HEADER,
  csvRow,
  EventBody,
  linkLine,
  linkSetDigest,
  PackageLink,
  replayLink,
  replayRequest,
  RequestStory,
  sellerRecordsCommitment,
} from '../evidence-requests/evidence-package';

export interface VerifyReport {
  ok: boolean;
  lines: string[];
  events: number;
  links: number;
}

interface Manifest {
  request: RequestStory['request'];
  withheld?: { marketplaceId: string; linkCount: number }[];
  generatedAt: string;
  files: { name: string; bytes: number; sha256: string }[];
  checkpoint: Checkpoint;
  keyId: string;
}

type Jwk = Record<string, string>;

/** A PEM public key, a JWK, or a JWKS (the key named by `keyId` is taken from it). */
export function readPublicKey(text: string, keyId: string): KeyObject | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const json = JSON.parse(trimmed) as Jwk | { keys: Jwk[] };
  const keys = 'keys' in json ? (json as { keys: Jwk[] }).keys : [json];
  const key = keys.find((k) => k.kid === keyId) ?? (keys.length === 1 ? keys[0] : undefined);
  return key ? createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x }, format: 'jwk' }) : null;
}

/**
 * Checks an evidence package offline: the manifest's signature, every file's hash, the checkpoint's signature, every
 * event's leaf hash and inclusion proof to the signed root; then that every file says exactly what those events say —
 * each link its replay, the CSV computed from them, the seller records their commitments, the links the filed set.
 */
export function verifyEvidencePackage(entries: Map<string, Buffer>, keyText?: string): VerifyReport {
  try {
    return verifyPackage(entries, keyText);
  } catch (error) {
    // A package edited into a shape the checks do not expect is refused, never a crash.
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, lines: [`✘ the package is malformed: ${why}`], events: 0, links: 0 };
  }
}

function verifyPackage(entries: Map<string, Buffer>, keyText?: string): VerifyReport {
  const lines: string[] = [];
  let ok = true;
  const check = (holds: boolean, what: string, otherwise?: string) => {
    lines.push(`${holds ? '✔' : '✘'} ${what}${!holds && otherwise ? `: ${otherwise}` : ''}`);
    if (!holds) ok = false;
    return holds;
  };
  const refused = () => ({ ok: false, lines, events: 0, links: 0 });
  const manifestBytes = entries.get('manifest.json');
  const signature = entries.get('manifest.sig');
  if (
    !check(
      manifestBytes !== undefined && signature !== undefined,
      'manifest.json and manifest.sig are present',
      `found ${[...entries.keys()].join(', ') || 'no entries'}`,
    )
  ) {
    return refused();
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes!.toString('utf8')) as Manifest;
  } catch {
    check(false, 'manifest.json is JSON');
    return refused();
  }
  let key: KeyObject | null = null;
  try {
    const source = keyText ?? entries.get('keys.json')?.toString('utf8');
    if (!keyText)
      lines.push(
        '! no --key given: checking against the key shipped in the package (proves integrity, not who signed)',
      );
    key = source ? readPublicKey(source, manifest.keyId) : null;
  } catch {
    key = null;
  }
  if (!check(key !== null, `a public key for key id ${manifest.keyId}`, 'the key file holds no such key'))
    return refused();
  if (
    !check(
      verify(null, manifestBytes!, key!, Buffer.from(signature!.toString('utf8').trim(), 'base64')),
      'manifest.sig is a valid Ed25519 signature of manifest.json',
      `not by key ${manifest.keyId}, or manifest.json was changed after signing`,
    )
  )
    return refused();

  for (const f of manifest.files) {
    const content = entries.get(f.name);
    const found = content
      ? `${content.length} bytes, SHA-256 ${createHash('sha256').update(content).digest('hex')}`
      : 'no such entry';
    check(
      found === `${f.bytes} bytes, SHA-256 ${f.sha256}`,
      `${f.name}: ${f.bytes} bytes, SHA-256 ${f.sha256}`,
      `found ${found}`,
    );
  }
  const listed = new Set(manifest.files.map((f) => f.name));
  for (const name of PACKAGE_FILES) check(listed.has(name), `${name} is listed in the manifest`);
  if (!ok) return refused();

  const cp = manifest.checkpoint;
  check(
    verifyCheckpoint(cp, key!),
    `checkpoint of tree size ${cp.treeSize} (root ${cp.rootHash.slice(0, 16)}…, ${cp.issuedAt}) is signed by key ${cp.keyId}`,
    'the signature does not verify with the given key',
  );

  // Every event: its leaf hash, its place in seq order and its inclusion proof to the signed root.
  const root = Buffer.from(cp.rootHash, 'hex');
  const eventLines = textLines(entries.get('audit-events.jsonl')!);
  const byEntity = new Map<string, EventBody[]>();
  const eventProblems: string[] = [];
  let lastSeq = 0;
  for (const [i, line] of eventLines.entries()) {
    const at = `audit-events.jsonl line ${i + 1}`;
    try {
      const e = JSON.parse(line) as {
        seq: number;
        leafIndex: number;
        canonical: string;
        entryHash: string;
        inclusionProof: string[];
      };
      const leaf = createHash('sha256')
        .update(Buffer.from([0]))
        .update(e.canonical, 'utf8')
        .digest();
      const body = JSON.parse(e.canonical) as EventBody;
      const problem =
        leaf.toString('hex') !== e.entryHash
          ? `entry hash ${e.entryHash} expected, the canonical text hashes to ${leaf.toString('hex')}`
          : e.leafIndex !== e.seq - 1 || body.seq !== e.seq
            ? `seq ${e.seq}, leaf index ${e.leafIndex} and the canonical seq ${body.seq} disagree`
            : !(e.seq > lastSeq)
              ? `seq ${e.seq} comes after seq ${lastSeq}: not in seq order`
              : !verifyInclusion(
                    e.leafIndex,
                    cp.treeSize,
                    leaf,
                    e.inclusionProof.map((h) => Buffer.from(h, 'hex')),
                    root,
                  )
                ? `seq ${e.seq}: the inclusion proof does not lead to the checkpoint's root`
                : null;
      if (problem) eventProblems.push(`${at}: ${problem}`);
      else {
        const id = body.entity?.id;
        byEntity.set(id, [...(byEntity.get(id) ?? []), body]);
      }
      lastSeq = e.seq;
    } catch {
      eventProblems.push(`${at}: not an audit event line`);
    }
  }
  check(
    eventLines.length > 0 && eventProblems.length === 0,
    `${eventLines.length} audit events: leaf hashes, order and inclusion proofs hold`,
    eventProblems.length ? describe(eventProblems) : 'there are none',
  );
  if (!ok) return refused();

  // What the package says must be what those events say.
  const requestId = manifest.request?.id;
  let story: RequestStory;
  try {
    story = replayRequest(requestId, byEntity.get(requestId) ?? []);
  } catch (error) {
    check(false, `the request ${requestId} is told by its own events`, message(error));
    return refused();
  }
  const requestDiff = firstDifference(manifest.request, story.request);
  check(requestDiff === null, `manifest.json's request is the one its events filed`, requestDiff ?? '');
  check(
    story.status === 'ready',
    'the request was ready when the package was made',
    `its events leave it ${story.status}`,
  );
  const withheld = story.parts
    .filter((p) => p.decision !== 'fulfil')
    .map((p) => ({ marketplaceId: p.marketplaceId, linkCount: p.links }));
  const withheldDiff = firstDifference({ withheld: manifest.withheld ?? [] }, { withheld });
  check(
    withheldDiff === null,
    `withheld: ${withheld.map((w) => `${w.linkCount} links of marketplace ${w.marketplaceId}`).join(', ') || 'nothing'} (the parts not fulfilled)`,
    withheldDiff ?? '',
  );
  const fulfilled = new Map(
    story.parts.filter((p) => p.decision === 'fulfil').map((p) => [p.marketplaceId, p]),
  );

  const linkLines = textLines(entries.get('links.jsonl')!);
  const linkProblems: string[] = [];
  const links: PackageLink[] = [];
  const linkIdsOf = new Map<string, string[]>();
  for (const [i, line] of linkLines.entries()) {
    const at = `links.jsonl line ${i + 1}`;
    let stated: PackageLink;
    try {
      stated = JSON.parse(line) as PackageLink;
    } catch {
      linkProblems.push(`${at}: not JSON`);
      continue;
    }
    let replayed: PackageLink;
    try {
      replayed = replayLink(stated.id, byEntity.get(stated.id) ?? []);
    } catch (error) {
      linkProblems.push(`${at}: ${message(error)}`);
      continue;
    }
    if (linkLine(replayed) !== `${line}\n`) {
      linkProblems.push(
        `${at}: link ${stated.id}: ${firstDifference(stated, replayed) ?? 'the line is not written as its replay'}`,
      );
      continue;
    }
    if (!fulfilled.has(replayed.marketplaceId)) {
      linkProblems.push(
        `${at}: link ${stated.id} belongs to marketplace ${replayed.marketplaceId}, which did not fulfil`,
      );
      continue;
    }
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
  check(
    linkLines.length > 0 && linkProblems.length === 0,
    `${linkLines.length} links in links.jsonl are exactly what their audit events say, and exactly the links filed of the fulfilled parts`,
    describe(linkProblems),
  );
  const listedIds = new Set(links.map((l) => l.id));
  const strangers = [...byEntity.keys()].filter((id) => id !== requestId && !listedIds.has(id));
  check(
    strangers.length === 0,
    'every audit event belongs to a listed link or to the request',
    `events of ${describe(strangers.map((id) => `entity ${id}`))} are neither`,
  );

  const csv = entries.get('links.csv')!.toString('utf8');
  const expectedCsv = CSV_HEADER + links.map(csvRow).join('');
  check(
    csv === expectedCsv,
    'links.csv is computed from links.jsonl by the rule in README.txt',
    csvDifference(csv, expectedCsv),
  );

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
  check(
    recordProblems.length === 0,
    `seller records of ${fulfilled.size} fulfilling marketplaces match the commitments in their answer events`,
    describe(recordProblems),
  );
  return { ok, lines, events: eventLines.length, links: links.length };
}

/** The files every package lists in its manifest (besides manifest.json and manifest.sig, which it cannot list). */
export const PACKAGE_FILES = [
  'README.txt',
  'links.jsonl',
  'links.csv',
  'seller-records.jsonl',
  'audit-events.jsonl',
  'keys.json',
];

function textLines(content: Buffer): string[] {
  return content.toString('utf8').split('\n').filter(Boolean);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(problems: string[]): string {
  return problems.length <= 5
    ? problems.join('; ')
    : `${problems.slice(0, 5).join('; ')}; and ${problems.length - 5} more`;
}

/** Names the first field whose value differs: "status is "taken_down" in the package but "rejected" by its events". */
function firstDifference(stated: object, replayed: object): string | null {
  const a = stated as Record<string, unknown>;
  const b = replayed as Record<string, unknown>;
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const x = JSON.stringify(a[field]);
    const y = JSON.stringify(b[field]);
    if (x !== y)
      return `${field} is ${x ?? 'absent'} in the package but ${y ?? 'absent'} by its audit events`;
  }
  return null;
}

function csvDifference(found: string, expected: string): string {
  const f = found.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(f.length, e.length); i++)
    if (f[i] !== e[i])
      return `line ${i + 1} is ${JSON.stringify(f[i] ?? null)?.slice(0, 160)}, expected ${JSON.stringify(e[i] ?? null)?.slice(0, 160)}`;
  return '';
}
