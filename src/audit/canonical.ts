import { createHash } from 'node:crypto';

export const ZERO_HASH = '0'.repeat(64);

/** RFC 8785 (JCS) text of a JSON value. */
export function canonicalJson(value: unknown): string {
  const text = jcs(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}

/** Keys written as JSON strings, by key: events repeat the same few dozen, thousands of times a request. */
const keyTexts = new Map<string, string>();
const KEY_TEXTS_MAX = 10_000;

function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (keyTexts.size < KEY_TEXTS_MAX) keyTexts.set(key, text);
  }
  return text;
}

function inCodeUnitOrder(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

/**
 * JCS as JSON.stringify would write the value, with object keys sorted by UTF-16 code unit (what Array#sort does
 * with strings): ECMAScript's string and number forms are the ones RFC 8785 prescribes. Like JSON.stringify, a
 * value with no JSON form (undefined, a function, a symbol) is left out of an object and is null in an array; a
 * number that is not finite has no JSON form RFC 8785 allows, and throws. About a third faster than the `canonicalize`
 * package (canonical.spec.ts checks the two agree), which mattered: every audit event is written this way.
 */
function jcs(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${value} is not allowed in canonical JSON`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new Error('a BigInt is not allowed in canonical JSON');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as { toJSON?: unknown } & Record<string, unknown>;
  if (typeof object.toJSON === 'function') return jcs((object.toJSON as () => unknown).call(object));
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (jcs(value[i]) ?? 'null');
    return `${out}]`;
  }
  const keys = Object.keys(object);
  if (!inCodeUnitOrder(keys)) keys.sort();
  let out = '';
  for (const key of keys) {
    const text = jcs(object[key]);
    if (text === undefined) continue;
    out += `${out === '' ? '' : ','}${keyText(key)}:${text}`;
  }
  return `{${out}}`;
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
