import { AppError } from '../errors/app-error';
import { csvDelimiter, readCsvLinks, readJsonLinks } from './submitted-links';

const URL = 'https://shopee.co.id/a-i.1.2';

/** What a reader answers: the links, or the refusal's code and the paths it names. */
function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    const e = error as AppError;
    return { code: e.code, paths: e.errors?.map((f) => f.path) };
  }
}

describe('readJsonLinks', () => {
  it.each([
    ['a url alone', [{ url: URL }], [{ url: URL, note: null, keywords: [], listing: null, priority: null }]],
    [
      'a note and keywords',
      [{ url: URL, note: 'n', keywords: ['bal'] }],
      [{ url: URL, note: 'n', keywords: ['bal'], listing: null, priority: null }],
    ],
    [
      'a listing',
      [{ url: URL, listing: { title: 'Bal bekas', sellerRef: 's1' } }],
      [
        {
          url: URL,
          note: null,
          keywords: [],
          listing: { title: 'Bal bekas', sellerRef: 's1' },
          priority: null,
        },
      ],
    ],
    [
      'a malformed listing, kept as the reason its link is rejected',
      [{ url: URL, listing: { imageHashes: [{ algorithm: 'phash', hash: 'xyz' }] } }],
      [
        {
          url: URL,
          note: null,
          keywords: [],
          listing: 'listing.imageHashes[0].hash must be 16 lower-case hex characters for phash',
          priority: null,
        },
      ],
    ],
    [
      'a priority',
      [
        { url: URL, priority: 'urgent' },
        { url: URL, priority: 'normal' },
      ],
      [
        { url: URL, note: null, keywords: [], listing: null, priority: 'urgent' },
        { url: URL, note: null, keywords: [], listing: null, priority: 'normal' },
      ],
    ],
    [
      'an unknown priority',
      [{ url: URL, priority: 'high' }],
      { code: 'VALIDATION_FAILED', paths: ['links[0].priority'] },
    ],
    [
      'a priority in capitals',
      [{ url: URL, priority: 'URGENT' }],
      { code: 'VALIDATION_FAILED', paths: ['links[0].priority'] },
    ],
    ['an item that is not an object', [URL], { code: 'VALIDATION_FAILED', paths: ['links[0]'] }],
    ['an array item', [[URL]], { code: 'VALIDATION_FAILED', paths: ['links[0]'] }],
    ['a missing url', [{}], { code: 'VALIDATION_FAILED', paths: ['links[0].url'] }],
    ['an empty url', [{ url: '' }], { code: 'VALIDATION_FAILED', paths: ['links[0].url'] }],
    ['a url too long', [{ url: 'x'.repeat(8193) }], { code: 'VALIDATION_FAILED', paths: ['links[0].url'] }],
    ['an unknown property', [{ url: URL, id: 1 }], { code: 'VALIDATION_FAILED', paths: ['links[0].id'] }],
    [
      'a long note',
      [{ url: URL, note: 'n'.repeat(1001) }],
      { code: 'VALIDATION_FAILED', paths: ['links[0].note'] },
    ],
    [
      'keywords as a string',
      [{ url: URL, keywords: 'bal' }],
      { code: 'VALIDATION_FAILED', paths: ['links[0].keywords'] },
    ],
    [
      'too many keywords',
      [{ url: URL, keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) }],
      { code: 'VALIDATION_FAILED', paths: ['links[0].keywords'] },
    ],
    [
      'an empty keyword',
      [{ url: URL, keywords: [''] }],
      { code: 'VALIDATION_FAILED', paths: ['links[0].keywords'] },
    ],
    [
      'several mistakes, each named',
      [{ url: URL }, { url: 1, x: 2 }],
      { code: 'VALIDATION_FAILED', paths: ['links[1].x', 'links[1].url'] },
    ],
  ])('%s', (_, items, expected) => expect(outcome(() => readJsonLinks(items))).toEqual(expected));

  it('stops after 100 errors', () => {
    const result = outcome(() => readJsonLinks(Array.from({ length: 500 }, () => 1))) as { paths: string[] };
    expect(result.paths).toHaveLength(100);
  });
});

describe('csvDelimiter', () => {
  it.each([
    ['a comma header', 'url,note,keywords\nx;y,z\n', ','],
    ['a semicolon header', 'url;note;keywords\nx,y;z\n', ';'],
    ['one column', 'url\nhttps://a/b;c\n', ','],
    ['a byte order mark, CRLF and blank lines first', '\ufeff\r\n\r\nurl;note\r\nx,y\r\n', ';'],
    ['separators inside quotes', '"url;a";"note;b",keywords\n', ','],
    ['more semicolons than commas', 'url;note;"a,b";keywords\n', ';'],
    ['only the header line counts', 'url,note\na;b;c;d\n', ','],
  ])('%s', (_, body, expected) => expect(csvDelimiter(body)).toBe(expected));
});

const links = (...urls: string[]) =>
  urls.map((url) => ({ url, note: null, keywords: [], listing: null, priority: null }));

describe('readCsvLinks', () => {
  it.each([
    ['a url column', `url\n${URL}\n`, { links: links(URL), ignoredColumns: [] }],
    [
      'notes and keywords split on ;',
      `url,note,keywords\n${URL},"seen, twice", bal ; pre-optimized ;\n`,
      {
        links: [
          {
            url: URL,
            note: 'seen, twice',
            keywords: ['bal', 'pre-optimized'],
            listing: null,
            priority: null,
          },
        ],
        ignoredColumns: [],
      },
    ],
    [
      'an Indonesian-locale Excel export: semicolons, a byte order mark, CRLF, a column of its own',
      `\ufeffURL;Note;Keywords;Penjual\r\n${URL};"dilihat; dua kali";"bal;preloved"\u0020;tokothrift\r\n`,
      {
        links: [
          {
            url: URL,
            note: 'dilihat; dua kali',
            keywords: ['bal', 'preloved'],
            listing: null,
            priority: null,
          },
        ],
        ignoredColumns: ['Penjual'],
      },
    ],
    [
      'unknown columns ignored and each named once, blank ones not named',
      `seller,url,found,seller,\nx,${URL},2026-11-01,y,\n`,
      { links: links(URL), ignoredColumns: ['seller', 'found'] },
    ],
    [
      'a priority column, in any case, an empty cell taking the batch priority',
      `url,Priority\n${URL},Urgent\n${URL}2,\n${URL}3,normal\n`,
      {
        links: [
          { url: URL, note: null, keywords: [], listing: null, priority: 'urgent' },
          ...links(`${URL}2`),
          { url: `${URL}3`, note: null, keywords: [], listing: null, priority: 'normal' },
        ],
        ignoredColumns: [],
      },
    ],
    [
      'an unknown priority, named by its row',
      `url,priority\n${URL},\n${URL},soon\n`,
      { code: 'VALIDATION_FAILED', paths: ['links[1].priority'] },
    ],
    ['empty optional cells', `URL,Note,Keywords\n${URL},,\n`, { links: links(URL), ignoredColumns: [] }],
    [
      'a byte order mark and blank lines',
      `\ufeffurl\n\n${URL}\n\n`,
      { links: links(URL), ignoredColumns: [] },
    ],
    ['an empty body', '', { code: 'EMPTY_CSV', paths: undefined }],
    ['a blank body', ' \n ', { code: 'EMPTY_CSV', paths: undefined }],
    ['a byte order mark alone', '\ufeff\r\n', { code: 'EMPTY_CSV', paths: undefined }],
    ['broken quoting', `url,note\n"${URL},oops\n`, { code: 'MALFORMED_CSV', paths: undefined }],
    ['a ragged row', `url,note\n${URL},a,b\n`, { code: 'MALFORMED_CSV', paths: undefined }],
    ['no url column', `link\n${URL}\n`, { code: 'MALFORMED_CSV', paths: undefined }],
    ['a repeated column', `url,url\n${URL},${URL}\n`, { code: 'MALFORMED_CSV', paths: undefined }],
    ['a repeated note column', `url;note;Note\n${URL};a;b\n`, { code: 'MALFORMED_CSV', paths: undefined }],
    ['a header only', 'url\n', { code: 'VALIDATION_FAILED', paths: ['links'] }],
    [
      'a listing column, which CSV intake ignores (listing evidence travels in JSON batches only)',
      `url,listing\n${URL},{}\n`,
      { links: links(URL), ignoredColumns: ['listing'] },
    ],
    [
      'a bad row, named by its index',
      `url,note\n${URL},\n,x\n`,
      { code: 'VALIDATION_FAILED', paths: ['links[1].url'] },
    ],
  ])('%s', (_, body, expected) => expect(outcome(() => readCsvLinks(body))).toEqual(expected));

  it('says which line could not be read', () => {
    expect(() => readCsvLinks(`url,note\n${URL},a\n${URL},a,b\n`)).toThrow(/line 3/);
  });

  it('shows the header as it was read when it holds no url column', () => {
    expect(() => readCsvLinks(`link\tnote\n${URL}\tx\n`)).toThrow(
      'The header row must hold url once, and optionally note, keywords and priority once each (read as comma-separated: "link\\tnote")',
    );
  });
});
