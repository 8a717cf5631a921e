import { Party, TestApp } from './app';
import type { Json } from './tooling';

export interface MarketplaceParty extends Party {
  marketplaceId: string;
}

export interface Campaign {
  ministry: Party;
  association: Party;
  police: Party;
  shopee: MarketplaceParty;
  tokopedia: MarketplaceParty;
}

/** The parties of a takedown campaign, registered through the API as the operator would. */
export async function setUpCampaign(t: TestApp): Promise<Campaign> {
  const marketplace = async (
    code: string,
    domains: string[],
    takedownSlaHours: number,
  ): Promise<MarketplaceParty> => {
    const party = await t.party('marketplace');
    const res = await t.http
      .post('/v1/marketplaces')
      .set(t.operator.auth)
      .send({ agencyId: party.agencyId, code, name: code, domains, takedownSlaHours })
      .expect(201);
    return { ...party, marketplaceId: res.body.id as string };
  };
  return {
    ministry: await t.party('ministry'),
    association: await t.party('association'),
    police: await t.party('police'),
    shopee: await marketplace('shopee', ['shopee.co.id', 'shp.ee'], 48),
    tokopedia: await marketplace('tokopedia', ['tokopedia.com'], 24),
  };
}

let item = 1_000_000;
/** A fresh Shopee listing URL each call. */
export const shopeeUrl = (slug = 'Kemeja-Flanel-Bekas-Impor') =>
  `https://shopee.co.id/${slug}-i.${++item}.${item * 7}`;
export const tokopediaUrl = (shop = 'tokobaju') =>
  `https://www.tokopedia.com/${shop}/kemeja-flanel-bekas-${++item}`;

export function batch(
  links: (string | { url: string; note?: string; keywords?: string[]; priority?: string })[],
  extra: Record<string, unknown> = {},
) {
  return {
    reference: `PKTN/2026/${++item}`,
    legalBasis: 'Permendag 18/2021 jo. 40/2022',
    links: links.map((l) => (typeof l === 'string' ? { url: l } : l)),
    ...extra,
  };
}

/** A link as GET /v1/links shows it. */
export interface SubmittedLink extends Json {
  id: string;
  url: string;
  marketplaceId: string;
  dueAt: string;
  priority: string;
  createdAt: string;
}

/**
 * Submits `links` (URLs, or URLs with a note, keywords or a priority) as one ministry batch and returns its id and its links, in
 * the order given; every link must have been accepted.
 */
export async function submitBatch(
  t: TestApp,
  c: Campaign,
  links: Parameters<typeof batch>[0],
  extra: Record<string, unknown> = {},
): Promise<{ batchId: string; links: SubmittedLink[] }> {
  const res = await t.http
    .post('/v1/link-batches')
    .set(c.ministry.auth)
    .send(batch(links, extra))
    .expect(201);
  const listed = (
    await t.http.get(`/v1/links?batchId=${res.body.id}&limit=1000`).set(c.ministry.auth).expect(200)
  ).body.items as SubmittedLink[];
  const urls = links.map((l) => (typeof l === 'string' ? l : l.url));
  return {
    batchId: res.body.id as string,
    links: urls.map((u) => {
      const link = listed.find((l) => l.url === u);
      if (!link)
        throw new Error(`batch ${res.body.id} did not accept ${u}: ${JSON.stringify(res.body.counts)}`);
      return link;
    }),
  };
}
