import type { Role } from '../auth/actor';

/** The parties of the demo campaign, created on the first start of an embedded exchange. */
export const DEMO_AGENCIES: { code: string; name: string; type: Role }[] = [
  { code: 'kemendag', name: 'Kementerian Perdagangan — Ditjen PKTN', type: 'ministry' },
  { code: 'idea', name: 'Asosiasi E-Commerce Indonesia (idEA)', type: 'association' },
  { code: 'polri-siber', name: 'Bareskrim Polri — Direktorat Tindak Pidana Siber', type: 'police' },
  { code: 'shopee', name: 'Shopee Indonesia', type: 'marketplace' },
  { code: 'tokopedia', name: 'Tokopedia', type: 'marketplace' },
  { code: 'lazada', name: 'Lazada Indonesia', type: 'marketplace' },
  { code: 'tiktok', name: 'TikTok Shop Indonesia', type: 'marketplace' },
];

/** The demo marketplaces, run by the marketplace agencies above (same codes). */
export const DEMO_MARKETPLACES: {
  code: string;
  name: string;
  domains: string[];
  takedownSlaHours: number;
}[] = [
  { code: 'shopee', name: 'Shopee', domains: ['shopee.co.id', 'shp.ee'], takedownSlaHours: 48 },
  {
    code: 'tokopedia',
    name: 'Tokopedia',
    domains: ['tokopedia.com', 'tokopedia.link'],
    takedownSlaHours: 48,
  },
  { code: 'lazada', name: 'Lazada', domains: ['lazada.co.id'], takedownSlaHours: 72 },
  { code: 'tiktok', name: 'TikTok Shop', domains: ['tiktok.com'], takedownSlaHours: 24 },
];
