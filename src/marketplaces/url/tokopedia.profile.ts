import { isMarketplaceTrackingParam } from './canonical-url';
import type { UrlProfile } from './profile';

// First path segments that are Tokopedia's own pages, not shop names.
const RESERVED = new Set([
  'search',
  'discovery',
  'p',
  'promo',
  'help',
  'blog',
  'find',
  'cart',
  'login',
  'top-up',
  'hot',
  'official-store',
]);

/** /{shop}/{product-slug}: shop and slug together name the listing; Tokopedia treats both case-insensitively. */
export const tokopediaProfile: UrlProfile = {
  code: 'tokopedia',
  isTrackingParam: isMarketplaceTrackingParam,
  listingKey({ segments }) {
    if (segments.length !== 2 || RESERVED.has(segments[0].toLowerCase())) return null;
    return `${segments[0].toLowerCase()}/${segments[1].toLowerCase()}`;
  },
};
