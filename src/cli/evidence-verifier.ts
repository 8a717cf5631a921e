import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';
import { Checkpoint, verifyCheckpoint } from '../audit/checkpoint-note';
import { verifyInclusion } from '../audit/merkle';

export interface VerifyReport {
  ok: boolean;
  lines: string[];
  events: number;
  links: number;
}

interface Manifest {
  request: { id: string; caseNumber: string };
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
 * event's leaf hash and inclusion proof to the signed root, and that every link has its events.
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
  const check = (holds: boolean, what: string) => {
    lines.push(`${holds ? '✔' : '✘'} ${what}`);
    if (!holds) ok = false;
    return holds;
  };
  const manifestBytes = entries.get('manifest.json');
  const signature = entries.get('manifest.sig');
  if (
    !check(
      manifestBytes !== undefined && signature !== undefined,
      'manifest.json and manifest.sig are present',
    )
  ) {
    return { ok, lines, events: 0, links: 0 };
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes!.toString('utf8')) as Manifest;
  } catch {
    check(false, 'manifest.json is JSON');
    return { ok, lines, events: 0, links: 0 };
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
  if (!check(key !== null, `a public key for key id ${manifest.keyId}`))
    return { ok, lines, events: 0, links: 0 };
  check(
    verify(null, manifestBytes!, key!, Buffer.from(signature!.toString('utf8').trim(), 'base64')),
    'manifest.sig is a valid Ed25519 signature of manifest.json',
  );

  const listed = new Set(manifest.files.map((f) => f.name));
  for (const f of manifest.files) {
    const content = entries.get(f.name);
    check(
      content !== undefined &&
        content.length === f.bytes &&
        createHash('sha256').update(content).digest('hex') === f.sha256,
      `${f.name}: ${f.bytes} bytes, SHA-256 as in the manifest`,
    );
  }
  for (const name of ['links.jsonl', 'audit-events.jsonl', 'seller-records.jsonl', 'links.csv']) {
    check(listed.has(name), `${name} is listed in the manifest`);
  }
  const cp = manifest.checkpoint;
  check(
    verifyCheckpoint(cp, key!),
    `checkpoint of tree size ${cp.treeSize} (root ${cp.rootHash.slice(0, 16)}…, ${cp.issuedAt}) is signed by the key`,
  );

  const root = Buffer.from(cp.rootHash, 'hex');
  const eventLines = (entries.get('audit-events.jsonl') ?? Buffer.alloc(0))
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  const entities = new Set<string>();
  let bad = 0;
  let lastSeq = 0;
  let firstBad = '';
  for (const [i, line] of eventLines.entries()) {
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
      const body = JSON.parse(e.canonical) as { seq: number; entity: { id: string } };
      const holds =
        leaf.toString('hex') === e.entryHash &&
        e.leafIndex === e.seq - 1 &&
        body.seq === e.seq &&
        e.seq > lastSeq &&
        verifyInclusion(
          e.leafIndex,
          cp.treeSize,
          leaf,
          e.inclusionProof.map((h) => Buffer.from(h, 'hex')),
          root,
        );
      if (holds) entities.add(body.entity.id);
      else {
        bad++;
        firstBad ||= `line ${i + 1} (seq ${e.seq})`;
      }
      lastSeq = e.seq;
    } catch {
      bad++;
      firstBad ||= `line ${i + 1}`;
    }
  }
  check(
    eventLines.length > 0 && bad === 0,
    `${eventLines.length} audit events: leaf hashes, order and inclusion proofs hold${bad ? ` (${bad} do not, first ${firstBad})` : ''}`,
  );

  const links = (entries.get('links.jsonl') ?? Buffer.alloc(0)).toString('utf8').split('\n').filter(Boolean);
  const missing = links
    .map((l, i) => {
      try {
        return (JSON.parse(l) as { id: string }).id;
      } catch {
        return `line ${i + 1} (not JSON)`;
      }
    })
    .filter((id) => !entities.has(id));
  check(
    links.length > 0 && missing.length === 0,
    `${links.length} links each have their audit events${missing.length ? ` (missing for ${missing.slice(0, 3).join(', ')})` : ''}`,
  );
  check(entities.has(manifest.request.id), `the request ${manifest.request.id} has its own events`);
  return { ok, lines, events: eventLines.length, links: links.length };
}
