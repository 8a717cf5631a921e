import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';
import { Checkpoint, verifyCheckpoint } from '../audit/checkpoint-note';
import { verifyInclusion } from '../audit/merkle';
import { CSV_HEADER, csvRow, EventBody, RequestStory } from '../evidence-requests/evidence-package';
import { checkLinks, checkRequest, checkSellerRecords, EventsByEntity } from './content-checks';
import { Checks, csvDifference, describe, textLines } from './verifier-report';
import { PACKAGE_FILES } from './package-layout';

export interface VerifyReport {
  ok: boolean;
  lines: string[];
  events: number;
  links: number;
}

export interface Manifest {
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

interface EventLine {
  seq: number;
  leafIndex: number;
  canonical: string;
  entryHash: string;
  inclusionProof: string[];
}

function verifyPackage(entries: Map<string, Buffer>, keyText?: string): VerifyReport {
  const c = new Checks();
  const signed = checkSignedManifest(c, entries, keyText);
  if (!signed) return c.refused();
  const { manifest, key } = signed;
  checkFiles(c, entries, manifest);
  if (!c.ok) return c.refused();
  const cp = manifest.checkpoint;
  c.check(
    verifyCheckpoint(cp, key),
    `checkpoint of tree size ${cp.treeSize} (root ${cp.rootHash.slice(0, 16)}…, ${cp.issuedAt}) is signed by key ${cp.keyId}`,
    'the signature does not verify with the given key',
  );
  const { byEntity, events } = checkEvents(c, entries, cp);
  if (!c.ok) return c.refused();
  // What the package says must be what those events say.
  const fulfilled = checkRequest(c, manifest, byEntity);
  if (!fulfilled) return c.refused();
  const links = checkLinks(c, entries, byEntity, fulfilled);
  const listedIds = new Set(links.map((l) => l.id));
  const requestId = manifest.request?.id;
  const strangers = [...byEntity.keys()].filter((id) => id !== requestId && !listedIds.has(id));
  c.check(
    strangers.length === 0,
    'every audit event belongs to a listed link or to the request',
    `events of ${describe(strangers.map((id) => `entity ${id}`))} are neither`,
  );
  const csv = entries.get('links.csv')!.toString('utf8');
  const expectedCsv = CSV_HEADER + links.map(csvRow).join('');
  c.check(
    csv === expectedCsv,
    'links.csv is computed from links.jsonl by the rule in README.txt',
    csvDifference(csv, expectedCsv),
  );
  checkSellerRecords(c, entries, fulfilled);
  return { ok: c.ok, lines: c.lines, events, links: links.length };
}

/** manifest.json and manifest.sig present, the manifest JSON, a key for its key id, and its signature by that key. */
function checkSignedManifest(
  c: Checks,
  entries: Map<string, Buffer>,
  keyText?: string,
): { manifest: Manifest; key: KeyObject } | null {
  const manifestBytes = entries.get('manifest.json');
  const signature = entries.get('manifest.sig');
  if (
    !c.check(
      manifestBytes !== undefined && signature !== undefined,
      'manifest.json and manifest.sig are present',
      `found ${[...entries.keys()].join(', ') || 'no entries'}`,
    )
  ) {
    return null;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes!.toString('utf8')) as Manifest;
  } catch {
    c.check(false, 'manifest.json is JSON');
    return null;
  }
  const key = publicKeyFor(c, entries, manifest, keyText);
  if (!c.check(key !== null, `a public key for key id ${manifest.keyId}`, 'the key file holds no such key'))
    return null;
  if (
    !c.check(
      verify(null, manifestBytes!, key!, Buffer.from(signature!.toString('utf8').trim(), 'base64')),
      'manifest.sig is a valid Ed25519 signature of manifest.json',
      `not by key ${manifest.keyId}, or manifest.json was changed after signing`,
    )
  )
    return null;
  return { manifest, key: key! };
}

/** The key given (--key), or else the one shipped in the package, which proves integrity but not who signed. */
function publicKeyFor(
  c: Checks,
  entries: Map<string, Buffer>,
  manifest: Manifest,
  keyText?: string,
): KeyObject | null {
  try {
    const source = keyText ?? entries.get('keys.json')?.toString('utf8');
    if (!keyText)
      c.lines.push(
        '! no --key given: checking against the key shipped in the package (proves integrity, not who signed)',
      );
    return source ? readPublicKey(source, manifest.keyId) : null;
  } catch {
    return null;
  }
}

/** Every file the manifest lists, with its size and hash, and every file a package must have among them. */
function checkFiles(c: Checks, entries: Map<string, Buffer>, manifest: Manifest): void {
  for (const f of manifest.files) {
    const content = entries.get(f.name);
    const found = content
      ? `${content.length} bytes, SHA-256 ${createHash('sha256').update(content).digest('hex')}`
      : 'no such entry';
    c.check(
      found === `${f.bytes} bytes, SHA-256 ${f.sha256}`,
      `${f.name}: ${f.bytes} bytes, SHA-256 ${f.sha256}`,
      `found ${found}`,
    );
  }
  const listed = new Set(manifest.files.map((f) => f.name));
  for (const name of PACKAGE_FILES) c.check(listed.has(name), `${name} is listed in the manifest`);
}

/** Every event: its leaf hash, its place in seq order and its inclusion proof to the signed root. */
function checkEvents(
  c: Checks,
  entries: Map<string, Buffer>,
  cp: Checkpoint,
): { byEntity: EventsByEntity; events: number } {
  const root = Buffer.from(cp.rootHash, 'hex');
  const eventLines = textLines(entries.get('audit-events.jsonl')!);
  const byEntity: EventsByEntity = new Map();
  const eventProblems: string[] = [];
  let lastSeq = 0;
  for (const [i, line] of eventLines.entries()) {
    const at = `audit-events.jsonl line ${i + 1}`;
    try {
      const e = JSON.parse(line) as EventLine;
      const leaf = createHash('sha256')
        .update(Buffer.from([0]))
        .update(e.canonical, 'utf8')
        .digest();
      const body = JSON.parse(e.canonical) as EventBody;
      const problem = eventProblem(e, leaf, body, lastSeq, cp, root);
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
  c.check(
    eventLines.length > 0 && eventProblems.length === 0,
    `${eventLines.length} audit events: leaf hashes, order and inclusion proofs hold`,
    eventProblems.length ? describe(eventProblems) : 'there are none',
  );
  return { byEntity, events: eventLines.length };
}

function eventProblem(
  e: EventLine,
  leaf: Buffer,
  body: EventBody,
  lastSeq: number,
  cp: Checkpoint,
  root: Buffer,
): string | null {
  if (leaf.toString('hex') !== e.entryHash)
    return `entry hash ${e.entryHash} expected, the canonical text hashes to ${leaf.toString('hex')}`;
  if (e.leafIndex !== e.seq - 1 || body.seq !== e.seq)
    return `seq ${e.seq}, leaf index ${e.leafIndex} and the canonical seq ${body.seq} disagree`;
  if (!(e.seq > lastSeq)) return `seq ${e.seq} comes after seq ${lastSeq}: not in seq order`;
  const proof = e.inclusionProof.map((h) => Buffer.from(h, 'hex'));
  if (!verifyInclusion(e.leafIndex, cp.treeSize, leaf, proof, root))
    return `seq ${e.seq}: the inclusion proof does not lead to the checkpoint's root`;
  return null;
}
