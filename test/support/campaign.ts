import { Party, TestApp } from './app';

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
  links: (string | { url: string; note?: string; keywords?: string[] })[],
  extra: Record<string, unknown> = {},
) {
  return {
    reference: `PKTN/2026/${++item}`,
    legalBasis: 'Permendag 18/2021 jo. 40/2022',
    links: links.map((l) => (typeof l === 'string' ? { url: l } : l)),
    ...extra,
  };
}

export interface SubmittedLink {
  id: string;
  url: string;
  marketplaceId: string;
}

/** Submits `urls` as one ministry batch and returns its id and its links, in the order of `urls`. */
export async function submitBatch(
  t: TestApp,
  c: Campaign,
  urls: string[],
): Promise<{ batchId: string; links: SubmittedLink[] }> {
  const res = await t.http.post('/v1/link-batches').set(c.ministry.auth).send(batch(urls)).expect(201);
  const listed = (
    await t.http.get(`/v1/links?batchId=${res.body.id}&limit=1000`).set(c.ministry.auth).expect(200)
  ).body.items as SubmittedLink[];
  return { batchId: res.body.id as string, links: urls.map((u) => listed.find((l) => l.url === u)!) };
}
