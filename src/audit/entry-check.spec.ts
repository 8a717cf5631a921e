import { canonicalJson, completeEntry, entryHash, prepareEntry, ZERO_HASH } from './canonical';
import { checkEntry, impliedParty, StoredEntry } from './entry-check';

const AGENCY = '0b7e4a6c-54d4-4c55-9d1b-0a6a7f1c2a01';
const OTHER = '0b7e4a6c-54d4-4c55-9d1b-0a6a7f1c2a02';
const CLIENT = '5f0c2b1e-1111-4c55-9d1b-0a6a7f1c2a03';
const LINK = '9a3d6e2f-2222-4c55-9d1b-0a6a7f1c2a04';
const PREV = 'ab'.repeat(32);

interface Columns {
  occurred_at: string;
  actor_client_id: string | null;
  actor_agency_id: string | null;
  entity_id: string;
  party_agency_id: string | null;
}

/** The row the audit writer stores for a marketplace taking a link down, as seq 7, with some columns changed. */
function row(changed: Partial<Columns & StoredEntry> = {}): StoredEntry {
  const canonical = completeEntry(
    prepareEntry({
      action: 'link.taken_down',
      actor: { clientId: CLIENT, agencyId: AGENCY, role: 'marketplace' },
      at: '2026-11-25T10:00:00.123Z',
      data: { from: 'pending', status: 'taken_down' },
      entity: { type: 'link', id: LINK },
      requestId: 'req-1',
    }),
    7,
    PREV,
  );
  const c = {
    seq: 7,
    canonical,
    prev_hash: PREV as string | null,
    entry_hash: entryHash(canonical).toString('hex'),
    occurred_at: '2026-11-25T10:00:00.123000Z',
    actor_client_id: CLIENT as string | null,
    actor_agency_id: AGENCY as string | null,
    actor_role: 'marketplace',
    action: 'link.taken_down',
    entity_type: 'link',
    entity_id: LINK,
    party_agency_id: AGENCY as string | null,
    request_id: 'req-1' as string | null,
    ...changed,
  };
  return {
    seq: c.seq,
    canonical: c.canonical,
    prev_hash: c.prev_hash,
    entry_hash: c.entry_hash,
    ids: [c.occurred_at, c.actor_client_id, c.actor_agency_id, c.entity_id, c.party_agency_id]
      .map((v) => v ?? '')
      .join('|'),
    actor_role: c.actor_role,
    action: c.action,
    entity_type: c.entity_type,
    request_id: c.request_id,
  };
}

/** The row with its canonical text changed and its entry hash recomputed, so only the columns can differ. */
function rehashed(change: (entry: Record<string, unknown>) => void): StoredEntry {
  const r = row();
  const entry = JSON.parse(r.canonical) as Record<string, unknown>;
  change(entry);
  const canonical = canonicalJson(entry);
  return { ...r, canonical, entry_hash: entryHash(canonical).toString('hex') };
}

describe('checkEntry', () => {
  it('holds for the row as the writer stores it', () => {
    expect(checkEntry(row(), 7, PREV)).toBeNull();
  });

  const cases: [string, StoredEntry, string][] = [
    [
      'a prev_hash that is not the previous entry hash',
      row({ prev_hash: ZERO_HASH }),
      'prev_hash does not match the entry hash of seq 6',
    ],
    [
      'an entry_hash of other bytes',
      row({ entry_hash: '01'.repeat(32) }),
      'entry_hash is not the SHA-256 of the canonical text',
    ],
    [
      'a canonical text edited after hashing',
      row({ canonical: row().canonical.replace('pending', 'acknowledged') }),
      'entry_hash is not the SHA-256 of the canonical text',
    ],
    ['a text that is not JSON, hashed', rehashedText('{"seq":7'), 'the canonical text is not JSON'],
    ['a text naming another seq', rehashed((e) => (e.seq = 8)), 'the canonical text names another seq'],
    [
      'a text whose prev is not prev_hash',
      rehashed((e) => (e.prev = ZERO_HASH)),
      "the canonical text's prev is not the entry hash of seq 6",
    ],
    [
      'occurred_at a millisecond off',
      row({ occurred_at: '2026-11-25T10:00:00.124000Z' }),
      'occurred_at column differs from the canonical text',
    ],
    [
      'occurred_at a microsecond off',
      row({ occurred_at: '2026-11-25T10:00:00.123001Z' }),
      'occurred_at column differs from the canonical text',
    ],
    [
      'another actor client',
      row({ actor_client_id: null }),
      'actor_client_id column differs from the canonical text',
    ],
    [
      'another actor agency',
      row({ actor_agency_id: OTHER }),
      'actor_agency_id column differs from the canonical text',
    ],
    [
      'another actor role',
      row({ actor_role: 'ministry' }),
      'actor_role column differs from the canonical text',
    ],
    ['another action', row({ action: 'link.rejected' }), 'action column differs from the canonical text'],
    [
      'another entity type',
      row({ entity_type: 'link_batch' }),
      'entity_type column differs from the canonical text',
    ],
    ['another entity', row({ entity_id: OTHER }), 'entity_id column differs from the canonical text'],
    ['another request id', row({ request_id: null }), 'request_id column differs from the canonical text'],
    [
      'another party, where the text implies it',
      row({ party_agency_id: OTHER }),
      'party_agency_id column differs from the canonical text',
    ],
    [
      'a text without an actor',
      rehashed((e) => delete e.actor),
      'actor_client_id column differs from the canonical text',
    ],
  ];
  it.each(cases)('reports %s', (_, stored, problem) => {
    expect(checkEntry(stored, 7, PREV)).toBe(`seq 7: ${problem}`);
  });

  it('reads uuids in the text whatever their case, as the uuid columns do', () => {
    const upper = rehashed((e) => ((e.entity as { id: string }).id = LINK.toUpperCase()));
    expect(checkEntry(upper, 7, PREV)).toBeNull();
  });

  it('takes a null prev_hash as PostgreSQL having found it equal to the entry hash of the row before', () => {
    expect(checkEntry(row({ prev_hash: null }), 7, PREV)).toBeNull();
  });

  it('recomputes the entry hash as entryHash does, whatever the text holds', () => {
    const unicode = rehashed((e) => (e.data = { note: 'Kemeja flanel — bekas impor, ü, 👕, \u0000' }));
    expect(checkEntry(unicode, 7, PREV)).toBeNull();
  });

  it('names the zero hash for the first event', () => {
    expect(checkEntry(row(), 1, ZERO_HASH)).toBe('seq 1: prev_hash is not the zero hash');
  });
});

function rehashedText(canonical: string): StoredEntry {
  return { ...row(), canonical, entry_hash: entryHash(canonical).toString('hex') };
}

describe('impliedParty', () => {
  const actor = (role: string) => ({ clientId: CLIENT, agencyId: AGENCY, role });
  it.each([
    ['agency.created', { entity: { type: 'agency', id: OTHER } }, OTHER],
    ['agency.suspended', { entity: { type: 'agency', id: OTHER } }, OTHER],
    ['api_client.revoked', { data: { agencyId: OTHER } }, OTHER],
    ['marketplace.created', { data: { agencyId: OTHER } }, OTHER],
    ['keyword.added', {}, null],
    ['link_batch.cancelled', {}, null],
    ['evidence_request.filed', { actor: actor('police') }, AGENCY],
    ['link.acknowledged', { actor: actor('marketplace') }, AGENCY],
    ['link.taken_down', { actor: actor('operator') }, undefined],
    ['link.created', { actor: actor('ministry') }, undefined],
    ['link.withdrawn', { actor: actor('ministry') }, undefined],
    ['marketplace.updated', { actor: actor('operator') }, undefined],
    ['evidence_request.answered', { actor: actor('marketplace') }, undefined],
    ['something.new', { actor: actor('operator') }, undefined],
    ['constructor', { actor: actor('operator') }, undefined],
    ['__proto__', { actor: actor('operator') }, undefined],
  ])('%s: %j → %s', (action, rest, party) => {
    expect(impliedParty({ action, ...rest })).toBe(party);
  });

  it('says nothing of an action that is not a string', () => {
    expect(impliedParty({ action: 42, entity: { type: 'agency', id: OTHER } })).toBeUndefined();
  });
});
