import { AppError } from '../errors/app-error';
import type { EvidenceAnswerDto, EvidenceScopeDto } from './dto/evidence-request.dto';
import type { SellerRecord } from './evidence-request.entity';

/** A scope must name something to match: batches, links, URLs or sellers. */
export function scopeRefusal(scope: EvidenceScopeDto): AppError | null {
  if (scope.batchIds?.length || scope.linkIds?.length || scope.urls?.length || scope.sellerRefs?.length)
    return null;
  return AppError.validation([
    { path: 'scope', message: 'scope must name batchIds, linkIds, urls or sellerRefs' },
  ]);
}

/** A decline gives its reason and no records; a fulfilment gives its records (an empty list if there are none). */
export function answerRefusal(dto: EvidenceAnswerDto): AppError | null {
  if (dto.decision === 'decline' && !dto.reason)
    return AppError.validation([{ path: 'reason', message: 'reason is required to decline' }]);
  if (dto.decision === 'fulfil' && !dto.sellerRecords) {
    return AppError.validation([
      {
        path: 'sellerRecords',
        message: 'sellerRecords are required to fulfil (an empty list if there are none)',
      },
    ]);
  }
  if (dto.decision === 'decline' && dto.sellerRecords?.length)
    return AppError.validation([
      { path: 'sellerRecords', message: 'a declined request carries no seller records' },
    ]);
  return null;
}

/** The seller records as stored and hashed: plain JSON, without class instances or undefined properties. */
export function plain(records: SellerRecord[]): SellerRecord[] {
  return JSON.parse(JSON.stringify(records)) as SellerRecord[];
}

export function expired(request: { expires_at: Date }): AppError {
  return new AppError(
    410,
    'EVIDENCE_REQUEST_EXPIRED',
    'Gone',
    `The request expired at ${request.expires_at.toISOString()}; it and its audit events remain, but nothing more is exported`,
  );
}
