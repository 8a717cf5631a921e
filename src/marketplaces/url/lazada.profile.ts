import { isMarketplaceTrackingParam } from './canonical-url';
import type { UrlProfile } from './profile';

// /products/{slug}-i{itemId}-s{skuId}.html, or pdp-i{itemId}.html: the item is the listing, the SKU a variant of it.
const ITEM = /(?:^|-)i(\d{1,20})(?:-s\d{1,20})?\.html$/;

export const lazadaProfile: UrlProfile = {
  code: 'lazada',
  isTrackingParam: isMarketplaceTrackingParam,
  listingKey({ segments }) {
    const m = ITEM.exec(segments[segments.length - 1] ?? '');
    return m ? m[1] : null;
  },
};
