export type UrlRejectReason = 'invalid_url' | 'unsupported_scheme' | 'url_too_long';

export const MAX_URL_LENGTH = 2048;

/** A URL reduced to what identifies the page: host without www./m., decoded path segments, identity parameters. */
export interface CanonicalParts {
  host: string;
  segments: string[];
  query: [string, string][];
  /** https://host/path?sorted-query, with no fragment and no trailing slash. */
  canonicalUrl: string;
  /** The WHATWG serialisation of the submitted URL, fragment removed. */
  href: string;
  /** The path as given (percent-encoded, case preserved), trailing slash removed. */
  rawPath: string;
}

/**
 * Parameters that track the click on any site: ad networks' click ids, analytics campaign tags and the share tags
 * the contract names. Their names are registered by the tools that add them, so they never name a page; removed on
 * every marketplace, including those we have no profile for.
 */
const TRACKING_PARAMS = new Set([
  // Google Ads, Merchant Center and Analytics
  'gclid',
  'gclsrc',
  'gbraid',
  'wbraid',
  'dclid',
  'srsltid',
  '_ga',
  '_gl',
  // Meta, Microsoft, Yandex, TikTok and X ads
  'fbclid',
  'igshid',
  'msclkid',
  'yclid',
  'ttclid',
  'twclid',
  // Mailchimp, HubSpot and Matomo campaigns
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'pk_campaign',
  'pk_kwd',
  'pk_source',
  'pk_medium',
  'pk_content',
  // Alibaba-group position tags and Shopee share tags (API.md names spm, sp_atk and xptdk)
  'spm',
  'sp_atk',
  'xptdk',
]);
const TRACKING_PREFIXES = ['utm_', 'mtm_', 'hsa_'];

/**
 * What the big Indonesian marketplaces append to shared links. On another site the same names (`cid`, `t`, `source`,
 * `sort`, `from`, `uuid`) can be what names the page, so only the named marketplaces' profiles remove these.
 */
const MARKETPLACE_TRACKING_PARAMS = new Set([
  'scm',
  'extparam',
  'src',
  'trkid',
  'trackingid',
  'clicktrackinfo',
  'from',
  'mp',
  'ref',
  'referrer',
  'source',
  'is_from_webapp',
  'sender_device',
  'sender_web_id',
  'u_code',
  'tt_from',
  'share_app_id',
  'social_share_type',
  '_branch_match_id',
  '_branch_referrer',
  'deep_and_deferred',
  'af_force_deeplink',
  'search',
  'keyword',
  'whid',
  'position',
  'pos',
  'click_source',
  'sp_sid',
  'publish_id',
  'uuid',
  'smtt',
  'abt',
  'laz_trackid',
  'mkttid',
  'ad_src',
  'did',
  'cid',
  'page_source',
  'region',
  'locale',
  'lang',
  'checksum',
  'sort',
  't',
  'cmpid',
]);
const MARKETPLACE_TRACKING_PREFIXES = ['share_', 'af_', 'pk_', '_ga'];

export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((p) => lower.startsWith(p));
}

export function isMarketplaceTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    isTrackingParam(lower) ||
    MARKETPLACE_TRACKING_PARAMS.has(lower) ||
    MARKETPLACE_TRACKING_PREFIXES.some((p) => lower.startsWith(p))
  );
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The host as routed: lower-case (WHATWG already did that and punycoded IDNs), no trailing dot, no www./m. */
export function routingHost(hostname: string): string {
  let host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  else if (host.startsWith('m.')) host = host.slice(2);
  return host;
}

export function parseSubmittedUrl(
  raw: string,
): { ok: true; parts: CanonicalParts } | { ok: false; reason: UrlRejectReason } {
  const input = raw.trim();
  if (input.length > MAX_URL_LENGTH) return { ok: false, reason: 'url_too_long' };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'invalid_url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'unsupported_scheme' };
  // Credentials in a listing link are a phishing shape, never a listing.
  if (url.username !== '' || url.password !== '' || url.hostname === '')
    return { ok: false, reason: 'invalid_url' };
  url.hash = '';
  const host = routingHost(url.hostname);
  const rawPath = url.pathname.replace(/\/+$/, '');
  const segments = rawPath
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  const query: [string, string][] = [];
  for (const [name, value] of url.searchParams) if (!isTrackingParam(name)) query.push([name, value]);
  query.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return { ok: true, parts: withQuery({ host, segments, href: url.href, rawPath }, query) };
}

/** The parts without the parameters `isTracking` names, as a marketplace's profile knows its own trackers. */
export function withoutParams(parts: CanonicalParts, isTracking: (name: string) => boolean): CanonicalParts {
  const query = parts.query.filter(([name]) => !isTracking(name));
  return query.length === parts.query.length ? parts : withQuery(parts, query);
}

function withQuery(
  parts: Omit<CanonicalParts, 'query' | 'canonicalUrl'>,
  query: [string, string][],
): CanonicalParts {
  const path = parts.segments.map((s) => encodeURIComponent(s)).join('/');
  const search = query.length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
  return {
    host: parts.host,
    segments: parts.segments,
    query,
    canonicalUrl: `https://${parts.host}${path ? `/${path}` : ''}${search}`,
    href: parts.href,
    rawPath: parts.rawPath,
  };
}

/** The host and each parent domain, longest first: a registered domain matches itself and its subdomains. */
export function domainCandidates(host: string): string[] {
  const labels = host.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out.length > 0 ? out : [host];
}
