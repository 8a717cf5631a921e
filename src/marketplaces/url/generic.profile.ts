import type { UrlProfile } from './profile';

/** Any other marketplace: the canonical path and identity parameters are the listing. */
export const genericProfile: UrlProfile = {
  code: 'generic',
  listingKey({ canonicalUrl, host }) {
    return canonicalUrl.slice(`https://${host}`.length) || '/';
  },
};
