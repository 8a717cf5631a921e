import { isMarketplaceTrackingParam } from './canonical-url';
import type { UrlProfile } from './profile';

/** /view/product/{id} (shop.tiktok.com, www.tiktok.com) and /…/product/{id}: the numeric product id. */
export const tiktokProfile: UrlProfile = {
  code: 'tiktok',
  isTrackingParam: isMarketplaceTrackingParam,
  listingKey({ segments }) {
    for (let i = 0; i < segments.length - 1; i++) {
      if (segments[i] === 'product' && /^\d{6,25}$/.test(segments[i + 1])) return segments[i + 1];
    }
    return null;
  },
};
