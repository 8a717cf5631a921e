import { isMarketplaceTrackingParam } from './canonical-url';
import type { UrlProfile } from './profile';

// …/Any-Slug-i.{shopId}.{itemId}  and  /product/{shopId}/{itemId}
const SLUG_IDS = /(?:^|-)i\.(\d{1,20})\.(\d{1,20})$/;

export const shopeeProfile: UrlProfile = {
  code: 'shopee',
  isTrackingParam: isMarketplaceTrackingParam,
  listingKey({ segments }) {
    const last = segments[segments.length - 1] ?? '';
    const m = SLUG_IDS.exec(last);
    if (m) return `${m[1]}.${m[2]}`;
    if (
      segments.length === 3 &&
      segments[0] === 'product' &&
      /^\d+$/.test(segments[1]) &&
      /^\d+$/.test(segments[2])
    ) {
      return `${segments[1]}.${segments[2]}`;
    }
    return null;
  },
};
