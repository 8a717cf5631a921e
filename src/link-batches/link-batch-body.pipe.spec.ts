import { AppError } from '../errors/app-error';
import { LinkBatchBodyPipe, rawLinkBatch } from './link-batch-body.pipe';

const URL = 'https://shopee.co.id/a-i.1.2';
const META = { reference: 'R/1', legalBasis: 'L' };
const pipe = new LinkBatchBodyPipe();

/** The submission read, or the refusal's code and the paths it names. */
async function read(body: unknown, query: object = {}): Promise<unknown> {
  try {
    return await pipe.transform(rawLinkBatch({ body, query } as never));
  } catch (error) {
    const e = error as AppError;
    return { code: e.code, paths: e.errors?.map((f) => f.path) };
  }
}

describe('LinkBatchBodyPipe', () => {
  it.each([
    [
      'a JSON batch',
      { ...META, category: 'c', links: [{ url: URL }] },
      {},
      {
        meta: { ...META, category: 'c' },
        links: [{ url: URL, note: null, keywords: [], listing: null, priority: null }],
        ignoredColumns: [],
      },
    ],
    [
      'a CSV batch with its fields in the query',
      `url;seller\n${URL};x\n`,
      META,
      {
        meta: META,
        links: [{ url: URL, note: null, keywords: [], listing: null, priority: null }],
        ignoredColumns: ['seller'],
      },
    ],
    [
      'a JSON batch with a query string',
      { ...META, links: [{ url: URL }] },
      { reference: 'x' },
      { code: 'UNEXPECTED_QUERY', paths: undefined },
    ],
    ['no body at all', undefined, {}, { code: 'VALIDATION_FAILED', paths: ['reference', 'legalBasis'] }],
    [
      'a JSON envelope field unknown',
      { ...META, extra: 1, links: [{ url: URL }] },
      {},
      { code: 'VALIDATION_FAILED', paths: ['extra'] },
    ],
    ['links missing', META, {}, { code: 'VALIDATION_FAILED', paths: ['links'] }],
    ['links empty', { ...META, links: [] }, {}, { code: 'VALIDATION_FAILED', paths: ['links'] }],
    [
      'links not an array',
      { ...META, links: { url: URL } },
      {},
      { code: 'VALIDATION_FAILED', paths: ['links'] },
    ],
    [
      'a bad JSON item',
      { ...META, links: [{ url: 1 }] },
      {},
      { code: 'VALIDATION_FAILED', paths: ['links[0].url'] },
    ],
    [
      'a CSV batch without its fields',
      `url\n${URL}\n`,
      {},
      { code: 'VALIDATION_FAILED', paths: expect.arrayContaining(['reference', 'legalBasis']) },
    ],
    [
      'a CSV batch with an unknown query field',
      `url\n${URL}\n`,
      { ...META, x: '1' },
      { code: 'VALIDATION_FAILED', paths: ['x'] },
    ],
    ['an empty CSV body', '', META, { code: 'EMPTY_CSV', paths: undefined }],
  ])('reads %s', async (_, body, query, expected) => expect(await read(body, query)).toEqual(expected));
});
