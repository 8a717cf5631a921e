import type { EvidenceAnswerDto, EvidenceScopeDto } from './dto/evidence-request.dto';
import { answerRefusal, scopeRefusal } from './evidence-rules';

describe('scopeRefusal', () => {
  it.each<[string, EvidenceScopeDto, boolean]>([
    ['refuses a scope naming nothing', {}, true],
    [
      'refuses empty lists and a time range alone',
      { batchIds: [], urls: [], from: '2026-01-01T00:00:00Z' },
      true,
    ],
    ['accepts batch ids', { batchIds: ['b'] }, false],
    ['accepts link ids', { linkIds: ['l'] }, false],
    ['accepts urls', { urls: ['https://x'] }, false],
    ['accepts seller refs', { sellerRefs: ['s'] }, false],
  ])('%s', (_, scope, refused) => {
    expect(scopeRefusal(scope) !== null).toBe(refused);
  });
});

describe('answerRefusal', () => {
  it.each<[string, Partial<EvidenceAnswerDto>, string | null]>([
    ['refuses a decline without a reason', { decision: 'decline' }, 'reason'],
    [
      'refuses a decline carrying records',
      { decision: 'decline', reason: 'no', sellerRecords: [{} as never] },
      'sellerRecords',
    ],
    [
      'accepts a decline with a reason and an empty list',
      { decision: 'decline', reason: 'no', sellerRecords: [] },
      null,
    ],
    ['refuses a fulfilment without records', { decision: 'fulfil' }, 'sellerRecords'],
    ['accepts a fulfilment with no records found', { decision: 'fulfil', sellerRecords: [] }, null],
  ])('%s', (_, dto, path) => {
    expect(answerRefusal(dto as EvidenceAnswerDto)?.errors?.[0]?.path ?? null).toBe(path);
  });
});
