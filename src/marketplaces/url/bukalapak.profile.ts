import { isMarketplaceTrackingParam } from './canonical-url';
import type { UrlProfile } from './profile';

/** /p/{category…}/{id}-jual-{slug}: the short alphanumeric id before the first dash. */
export const bukalapakProfile: UrlProfile = {
  code: 'bukalapak',
  isTrackingParam: isMarketplaceTrackingParam,
  listingKey({ segments }) {
    if (segments[0] !== 'p' || segments.length < 2) return null;
    const m = /^([0-9a-z]+)-/i.exec(segments[segments.length - 1]);
    return m ? m[1].toLowerCase() : null;
  },
};
