import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const ZERO_HASH = '0'.repeat(64);

/** RFC 8785 (JCS) text of a JSON value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}

/** RFC 6962 leaf hash of an audit entry: SHA-256(0x00 ‖ canonical JSON). */
export function entryHash(canonical: string): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(canonical, 'utf8')
    .digest();
}

export interface EntryBody {
  action: string;
  actor: { clientId: string | null; agencyId: string | null; role: string };
  at: string;
  data: Record<string, unknown>;
  entity: { type: string; id: string };
  requestId: string | null;
}

/**
 * The entry's canonical text is built in two steps so the part that needs the head lock (seq, prev) is a
 * string concatenation. JCS orders keys by code unit: action < actor < at < data < entity < prev < requestId
 * < seq < v, which is what the assembly below relies on (and canonical.spec.ts checks).
 */
export function prepareEntry(body: EntryBody): { head: string; requestIdPart: string } {
  const head = canonicalJson({
    action: body.action,
    actor: body.actor,
    at: body.at,
    data: body.data,
    entity: body.entity,
  });
  return { head: head.slice(0, -1), requestIdPart: `,"requestId":${canonicalJson(body.requestId)}` };
}

export function completeEntry(
  prepared: { head: string; requestIdPart: string },
  seq: number,
  prev: string,
): string {
  return `${prepared.head},"prev":"${prev}"${prepared.requestIdPart},"seq":${seq},"v":1}`;
}
