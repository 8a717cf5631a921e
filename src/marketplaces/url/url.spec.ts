import { canonicalise, domainCandidates } from './index';

const DOMAINS: Record<string, string> = {
  'shopee.co.id': 'shopee',
  'shp.ee': 'shopee',
  'tokopedia.com': 'tokopedia',
  'lazada.co.id': 'lazada',
  'tiktok.com': 'tiktok',
  'bukalapak.com': 'bukalapak',
  'blibli.com': 'blibli',
  'jualbekas.example': 'jualbekas',
};
const route = (host: string) => {
  for (const d of domainCandidates(host))
    if (DOMAINS[d]) return { marketplaceId: `mp-${DOMAINS[d]}`, code: DOMAINS[d] };
  return null;
};
const key = (url: string) => {
  const r = canonicalise(url, route);
  return r.ok ? `${r.code}:${r.listingKey}` : `!${r.reason}`;
};

describe('listing keys', () => {
  it.each([
    [
      'https://shopee.co.id/Kemeja-Flanel-Pria-i.123456789.2345678901?sp_atk=abc&xptdk=def',
      'shopee:123456789.2345678901',
    ],
    ['https://shopee.co.id/product/123456789/2345678901', 'shopee:123456789.2345678901'],
    ['https://SHOPEE.CO.ID/product/123456789/2345678901/', 'shopee:123456789.2345678901'],
    [
      'https://www.shopee.co.id/Kemeja-Flanel-Pria-i.123456789.2345678901#reviews',
      'shopee:123456789.2345678901',
    ],
    ['https://shopee.co.id/Baju%20Bekas%20Impor-i.123456789.2345678901', 'shopee:123456789.2345678901'],
    [
      'https://shopee.co.id/Kemeja-Flanel-Bekas-Impor-Ünïcödé-i.123456789.2345678901',
      'shopee:123456789.2345678901',
    ],
    ['https://m.shopee.co.id/Kemeja-i.123.456', 'shopee:123.456'],
    ['http://m.shopee.co.id/Other-Name-Entirely-i.123.456?utm_source=wa', 'shopee:123.456'],
    [
      'https://www.tokopedia.com/tokobaju/kemeja-flanel-bekas-impor-1a2b3c?extParam=ivf%3Dfalse&src=topads',
      'tokopedia:tokobaju/kemeja-flanel-bekas-impor-1a2b3c',
    ],
    [
      'https://tokopedia.com/TokoBaju/Kemeja-Flanel-Bekas-Impor-1a2b3c/',
      'tokopedia:tokobaju/kemeja-flanel-bekas-impor-1a2b3c',
    ],
    [
      'https://www.lazada.co.id/products/kemeja-i160040593-s181524118.html?spm=a2o4j.searchlist.list.1',
      'lazada:160040593',
    ],
    ['https://www.lazada.co.id/products/other-slug-i160040593-s999.html', 'lazada:160040593'],
    ['https://www.lazada.co.id/products/pdp-i160040593.html', 'lazada:160040593'],
    [
      'https://shop.tiktok.com/view/product/1729384756102938475?region=ID&locale=id-ID',
      'tiktok:1729384756102938475',
    ],
    ['https://www.tiktok.com/view/product/1729384756102938475', 'tiktok:1729384756102938475'],
    ['https://www.bukalapak.com/p/fashion-pria/kemeja/4abc123-jual-kemeja-flanel-bekas', 'bukalapak:4abc123'],
    ['https://www.blibli.com/p/kemeja-flanel/ps--ABC-12345-00001', 'blibli:ABC-12345-00001'],
    ['https://www.blibli.com/p/kemeja-flanel-baru/ps--abc-12345-00001?ds=x', 'blibli:ABC-12345-00001'],
    ['https://jualbekas.example/item?id=42&utm_campaign=x', 'jualbekas:/item?id=42'],
    ['https://shopee.co.id/tokobekas', 'shopee:/tokobekas'],
  ])('%s → %s', (url, expected) => {
    expect(key(url)).toBe(expected);
  });

  it.each([
    ['https://shp.ee/AbC123', 'shopee:short:shp.ee/AbC123'],
    ['https://shp.ee/abc123', 'shopee:short:shp.ee/abc123'],
    ['https://tk.tokopedia.com/ZSabc/', 'tokopedia:short:tk.tokopedia.com/ZSabc'],
    ['https://vt.tiktok.com/ZSxyz/', 'tiktok:short:vt.tiktok.com/ZSxyz'],
  ])('keeps the short link %s as given, keyed by its path: %s', (url, expected) => {
    expect(key(url)).toBe(expected);
  });

  it.each([
    ['not a url', 'invalid_url'],
    ['http://', 'invalid_url'],
    ['https://user:pw@shopee.co.id/x-i.1.2', 'invalid_url'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['ftp://shopee.co.id/x', 'unsupported_scheme'],
    ['data:text/html,hi', 'unsupported_scheme'],
    [`https://shopee.co.id/${'a'.repeat(2100)}`, 'url_too_long'],
    ['https://unknown-market.example/p/1', 'unknown_marketplace'],
    ['https://[::1]/p/1', 'unknown_marketplace'],
    ['https://bücher.example/p/1', 'unknown_marketplace'],
    ['https://shopee.co.id.evil.example/x-i.1.2', 'unknown_marketplace'],
    ['https://notshopee.co.id/x-i.1.2', 'unknown_marketplace'],
  ])('refuses %s as %s', (url, reason) => {
    expect(key(url)).toBe(`!${reason}`);
  });

  it('builds one canonical URL from differently written copies of the same page', () => {
    const forms = [
      'https://jualbekas.example/Baju%20Bekas/?b=2&a=1&utm_source=x#top',
      'HTTPS://WWW.JUALBEKAS.EXAMPLE/Baju Bekas?a=1&b=2',
      'http://m.jualbekas.example/Baju%20Bekas/?fbclid=1&a=1&b=2',
    ];
    const canon = forms.map((f) => {
      const r = canonicalise(f, route);
      return r.ok ? r.canonicalUrl : r.reason;
    });
    expect(new Set(canon)).toEqual(new Set(['https://jualbekas.example/Baju%20Bekas?a=1&b=2']));
  });

  const canonicalUrl = (url: string) => {
    const r = canonicalise(url, route);
    return r.ok ? r.canonicalUrl : `!${r.reason}`;
  };

  // On a marketplace we have no profile for, a parameter may be what names the page: only known trackers go.
  it.each([
    ['https://jualbekas.example/p?cid=200', 'https://jualbekas.example/p?cid=200'],
    ['https://jualbekas.example/p?uuid=6f9619ff', 'https://jualbekas.example/p?uuid=6f9619ff'],
    ['https://jualbekas.example/p?t=kemeja&page=2', 'https://jualbekas.example/p?page=2&t=kemeja'],
    ['https://jualbekas.example/p?source=42&sort=asc', 'https://jualbekas.example/p?sort=asc&source=42'],
    [
      'https://jualbekas.example/p?from=toko-a&ref=KMJ-01',
      'https://jualbekas.example/p?from=toko-a&ref=KMJ-01',
    ],
    ['https://jualbekas.example/p?id=1&src=x&lang=id', 'https://jualbekas.example/p?id=1&lang=id&src=x'],
    [
      'https://jualbekas.example/p?id=1&utm_source=wa&UTM_Campaign=x&utm_whatever=1',
      'https://jualbekas.example/p?id=1',
    ],
    [
      'https://jualbekas.example/p?id=1&gclid=a&gbraid=b&wbraid=c&dclid=d',
      'https://jualbekas.example/p?id=1',
    ],
    [
      'https://jualbekas.example/p?id=1&fbclid=a&igshid=b&msclkid=c&yclid=d&ttclid=e',
      'https://jualbekas.example/p?id=1',
    ],
    [
      'https://jualbekas.example/p?id=1&mc_cid=a&mc_eid=b&_ga=c&_gl=d&srsltid=e',
      'https://jualbekas.example/p?id=1',
    ],
    ['https://jualbekas.example/p?id=1&spm=a2o4j.pdp', 'https://jualbekas.example/p?id=1'],
    ['https://jualbekas.example/p?b=2&a=1&a=0', 'https://jualbekas.example/p?a=0&a=1&b=2'],
  ])('the generic profile canonicalises %s as %s', (url, expected) => {
    expect(canonicalUrl(url)).toBe(expected);
  });

  it('keeps two listings apart that differ only in an identity parameter', () => {
    for (const name of ['cid', 'uuid', 't', 'source', 'sort', 'from']) {
      expect(key(`https://jualbekas.example/p?${name}=200`)).not.toBe(
        key(`https://jualbekas.example/p?${name}=100`),
      );
    }
  });

  it.each([
    ['https://shopee.co.id/tokobekas?uuid=1&sp_atk=2&xptdk=3&from=4', 'https://shopee.co.id/tokobekas'],
    ['https://www.tokopedia.com/tokobaju?source=x&t=1&whid=2&sort=5', 'https://tokopedia.com/tokobaju'],
    ['https://www.lazada.co.id/shop/toko?laz_trackid=1&mp=2&cid=3', 'https://lazada.co.id/shop/toko'],
    [
      'https://shop.tiktok.com/view/product/1729384756102938475?region=ID&share_app_id=1',
      'https://shop.tiktok.com/view/product/1729384756102938475',
    ],
  ])(
    "a named marketplace's profile still removes the parameters it adds to shared links: %s",
    (url, expected) => {
      expect(canonicalUrl(url)).toBe(expected);
    },
  );

  it('lists a host and its parent domains, longest first', () => {
    expect(domainCandidates('a.b.shopee.co.id')).toEqual([
      'a.b.shopee.co.id',
      'b.shopee.co.id',
      'shopee.co.id',
      'co.id',
    ]);
  });
});
