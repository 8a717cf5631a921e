import { isMarketplaceTrackingParam } from './canonical-url';
import type { UrlProfile } from './profile';

/** /p/{slug}/ps--{SKU} (or pc--): the SKU, which Blibli writes in upper case. */
export const blibliProfile: UrlProfile = {
  code: 'blibli',
  isTrackingParam: isMarketplaceTrackingParam,
  listingKey({ segments }) {
    if (segments[0] !== 'p' || segments.length < 3) return null;
    const m = /^p[sc]--([A-Za-z0-9-]+)$/.exec(segments[segments.length - 1]);
    return m ? m[1].toUpperCase() : null;
  },
};
