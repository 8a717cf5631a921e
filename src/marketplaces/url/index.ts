import { parseSubmittedUrl, UrlRejectReason, withoutParams } from './canonical-url';
import { blibliProfile } from './blibli.profile';
import { bukalapakProfile } from './bukalapak.profile';
import { genericProfile } from './generic.profile';
import { lazadaProfile } from './lazada.profile';
import type { UrlProfile } from './profile';
import { shopeeProfile } from './shopee.profile';
import { tiktokProfile } from './tiktok.profile';
import { tokopediaProfile } from './tokopedia.profile';

export { domainCandidates, MAX_URL_LENGTH, parseSubmittedUrl } from './canonical-url';
export type { UrlRejectReason } from './canonical-url';

const PROFILES = new Map<string, UrlProfile>(
  [shopeeProfile, tokopediaProfile, lazadaProfile, tiktokProfile, bukalapakProfile, blibliProfile].map(
    (p) => [p.code, p],
  ),
);

export function profileFor(code: string): UrlProfile {
  return PROFILES.get(code) ?? genericProfile;
}

/** Share-link hosts whose target can only be known by following them, which we do not do offline. */
const SHORT_LINK_HOSTS = new Set([
  'shp.ee',
  's.shopee.co.id',
  'tk.tokopedia.com',
  'vt.tiktok.com',
  'vm.tiktok.com',
  's.lazada.co.id',
  'c.lazada.co.id',
]);

export type CanonicalResult =
  | { ok: true; marketplaceId: string; code: string; canonicalUrl: string; listingKey: string }
  | { ok: false; reason: UrlRejectReason | 'unknown_marketplace' };

/**
 * Canonicalises a submitted URL, routes it by host and extracts its listing key. A URL on a marketplace's domain that
 * its profile cannot read (a shop page, a search) falls back to the generic key rather than being refused: the
 * ministry may still want it taken down.
 */
export function canonicalise(
  raw: string,
  route: (host: string) => { marketplaceId: string; code: string } | null,
): CanonicalResult {
  const parsed = parseSubmittedUrl(raw);
  if (!parsed.ok) return parsed;
  const marketplace = route(parsed.parts.host);
  if (!marketplace) return { ok: false, reason: 'unknown_marketplace' };
  if (SHORT_LINK_HOSTS.has(parsed.parts.host)) {
    return {
      ok: true,
      marketplaceId: marketplace.marketplaceId,
      code: marketplace.code,
      canonicalUrl: parsed.parts.href,
      listingKey: `short:${parsed.parts.host}${parsed.parts.rawPath}`,
    };
  }
  const profile = profileFor(marketplace.code);
  const parts = profile.isTrackingParam ? withoutParams(parsed.parts, profile.isTrackingParam) : parsed.parts;
  const key = profile.listingKey(parts) ?? genericProfile.listingKey(parts);
  return {
    ok: true,
    marketplaceId: marketplace.marketplaceId,
    code: marketplace.code,
    canonicalUrl: parts.canonicalUrl,
    listingKey: key as string,
  };
}
