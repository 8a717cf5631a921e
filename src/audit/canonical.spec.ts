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
