import { copyRows, CopyValue, pgArrayLiteral } from '../src/database/copy';
import { createTestApp, TestApp } from './support/app';

/** copyRows streams COPY's text format: every value must come back exactly as it went in. */
describe('copyRows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('stores every kind of text, NULL and array exactly', async () => {
    const texts = [
      '',
      'plain',
      '{"title":"Karung \\"bal\\" 100kg","n":1}',
      'tab\there',
      'line\nbreak and\r\ncarriage',
      'back\\slash \\N \\t',
      '\\N',
      'comma, "quotes" and \'apostrophes\'',
      'Émoji 👕 ünïcödé',
    ];
    const rows: CopyValue[][] = texts.map((text, i) => [
      i,
      text,
      null,
      i % 2 === 0,
      pgArrayLiteral([text, 'x']),
    ]);
    const back = await t.db.transaction(async (m) => {
      await m.query(
        'CREATE TEMP TABLE copied (n int, text text, nothing text, flag boolean, list text[]) ON COMMIT DROP',
      );
      await copyRows(m, 'copied', ['n', 'text', 'nothing', 'flag', 'list'], rows);
      return m.query<{ n: number; text: string; nothing: null; flag: boolean; list: string[] }[]>(
        'SELECT * FROM copied ORDER BY n',
      );
    });
    expect(back).toEqual(
      texts.map((text, n) => ({ n, text, nothing: null, flag: n % 2 === 0, list: [text, 'x'] })),
    );
  });
});
