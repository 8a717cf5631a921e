import type { FieldError } from '../errors/app-error';
import { MAX_IMAGE_HASHES, unstorable } from '../links/listing-evidence';
import { imageHashProblem, ImageHash } from './image-hash';

export interface ScreeningItem {
  ref: string;
  url: string | null;
  title: string | null;
  imageHashes: ImageHash[];
  sellerRef: string | null;
  sellerName: string | null;
}

const KEYS = new Set(['ref', 'url', 'title', 'imageHashes', 'sellerRef', 'sellerName']);

function text(o: Record<string, unknown>, key: string, min: number, max: number): string | null | FieldError {
  const v = o[key];
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.length < min || v.length > max)
    return { path: key, message: `${key} must be a string of ${min}-${max} characters` };
  const bad = unstorable(v);
  return bad ? { path: key, message: `${key} ${bad}` } : v;
}

const isError = (v: unknown): v is FieldError => typeof v === 'object' && v !== null;

/** Reads one screening item; a FieldError (path relative to the item) when it is not one. */
export function readScreeningItem(raw: unknown): ScreeningItem | FieldError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { path: '', message: 'item must be an object' };
  const o = raw as Record<string, unknown>;
  for (const key in o)
    if (!KEYS.has(key))
      return { path: key.slice(0, 50), message: `property ${key.slice(0, 50)} is not allowed` };
  const ref = text(o, 'ref', 1, 200);
  if (ref === null) return { path: 'ref', message: 'ref is required' };
  const url = text(o, 'url', 1, 2048);
  const title = text(o, 'title', 0, 500);
  const sellerRef = text(o, 'sellerRef', 1, 200);
  const sellerName = text(o, 'sellerName', 0, 200);
  for (const v of [ref, url, title, sellerRef, sellerName]) if (isError(v)) return v;
  let imageHashes: ImageHash[] = [];
  if (o.imageHashes !== undefined) {
    if (!Array.isArray(o.imageHashes) || o.imageHashes.length > MAX_IMAGE_HASHES)
      return { path: 'imageHashes', message: `imageHashes must be a list of at most ${MAX_IMAGE_HASHES}` };
    for (let i = 0; i < o.imageHashes.length; i++) {
      const problem = imageHashProblem(o.imageHashes[i]);
      if (problem) return { path: `imageHashes[${i}]`, message: `imageHashes[${i}]${problem}` };
    }
    imageHashes = o.imageHashes as ImageHash[];
  }
  if (!title && imageHashes.length === 0 && !sellerRef && !sellerName)
    return { path: '', message: 'item must carry a title, imageHashes, a sellerRef or a sellerName' };
  return {
    ref: ref as string,
    url: url as string | null,
    title: title as string | null,
    imageHashes,
    sellerRef: sellerRef as string | null,
    sellerName: sellerName as string | null,
  };
}

/** Every item read, or the request's refusal: each bad item's error, with its path from the body. */
export function readScreeningItems(raw: unknown[]): { items: ScreeningItem[]; errors: FieldError[] } {
  const items: ScreeningItem[] = [];
  const errors: FieldError[] = [];
  const refs = new Set<string>();
  raw.forEach((r, i) => {
    const item = readScreeningItem(r);
    const at = `items[${i}]`;
    if ('message' in item) {
      if (errors.length < 20)
        errors.push({ path: item.path ? `${at}.${item.path}` : at, message: item.message });
      return;
    }
    if (refs.has(item.ref)) {
      if (errors.length < 20)
        errors.push({ path: `${at}.ref`, message: 'ref must be unique within the request' });
      return;
    }
    refs.add(item.ref);
    items.push(item);
  });
  return { items, errors };
}
