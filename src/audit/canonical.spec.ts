import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, completeEntry, entryHash, prepareEntry } from './canonical';

describe('audit entry canonical form', () => {
  const body = {
    action: 'agency.created',
    actor: { clientId: null, agencyId: null, role: 'system' },
    at: '2026-11-25T10:00:00.123Z',
    data: { name: 'Kementerian Perdagangan — Ditjen PKTN', code: 'kemendag', z: 1, a: [3, 'ü', null] },
    entity: { type: 'agency', id: '7a1f3c2e-0000-4000-8000-000000000001' },
    requestId: 'req-1',
  };

  it('assembles exactly the RFC 8785 text of the whole entry', () => {
    const assembled = completeEntry(prepareEntry(body), 42, 'ab'.repeat(32));
    expect(assembled).toBe(canonicalJson({ ...body, prev: 'ab'.repeat(32), seq: 42, v: 1 }));
    expect(JSON.parse(assembled)).toEqual({ ...body, prev: 'ab'.repeat(32), seq: 42, v: 1 });
  });

  it('hashes entries as RFC 6962 leaves', () => {
    expect(entryHash('').toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('sorts keys and normalises numbers as JCS requires', () => {
    expect(canonicalJson({ b: 1e21, a: -0, c: 'é' })).toBe('{"a":0,"b":1e+21,"c":"é"}');
  });
});

describe('canonicalJson against the canonicalize package (an independent RFC 8785 implementation)', () => {
  // Keys include integer-like ones (JavaScript lists those first, RFC 8785 sorts them as text), astral and
  // combining characters (code-unit order, not code-point or locale order) and ones that need escaping.
  const key = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('10', '9', '01', '1', '\u{1F600}', '\uFB33', 'é', 'e\u0301', '"', '\\', '\n', '__x'),
  );
  const leaf = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  })).value;

  it('writes the same text for any JSON value', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(canonicalJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a Date by its toJSON, leaves out undefined members and refuses numbers JSON cannot hold', () => {
    const at = new Date('2026-12-03T08:00:00.000Z');
    expect(canonicalJson({ b: undefined, a: at, c: [undefined] })).toBe(
      '{"a":"2026-12-03T08:00:00.000Z","c":[null]}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
    expect(() => canonicalJson([Infinity])).toThrow();
  });
});
