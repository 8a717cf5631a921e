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
