/**
 * The words of the audit log: every entity type and action an event has been written with, and the record a builder
 * of the catalogue (audit-events.ts) makes. Append-only, like the log: a word never leaves these lists.
 */
import type { LinkStatus } from '../links/link.entity';

/** Every entity type an event has been written about (the log is append-only: one never leaves this list). */
export const AUDIT_ENTITY_TYPES = [
  'agency',
  'api_client',
  'marketplace',
  'keyword',
  'link_batch',
  'link',
  'evidence_request',
  'takedown_report',
  'relisting_group',
  'clarification',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** A link's report by its marketplace: the action names the status reported. */
export type LinkReportedStatus = Extract<
  LinkStatus,
  'acknowledged' | 'taken_down' | 'not_found' | 'rejected'
>;

/** Every action an event has been written with; like the entity types, append-only. */
export const AUDIT_ACTIONS = [
  'agency.created',
  'agency.updated',
  'agency.suspended',
  'agency.reactivated',
  'api_client.created',
  'api_client.revoked',
  'marketplace.created',
  'marketplace.updated',
  'keyword.added',
  'keyword.retired',
  'link_batch.created',
  'link_batch.cancelled',
  'link.created',
  'link.acknowledged',
  'link.taken_down',
  'link.not_found',
  'link.rejected',
  'link.withdrawn',
  'evidence_request.filed',
  'evidence_request.answered',
  'evidence_request.closed',
  'evidence_request.exported',
  'takedown_report.filed',
  'relisting_group.linked',
  'relisting_group.member_dismissed',
  'link.observed',
  'clarification.requested',
  'clarification.answered',
  'link.objected',
  'link.objection_decided',
  'link.co_notified',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  /** The agency, besides operator and ministry, that may read the event. */
  partyAgencyId?: string | null;
  data: Record<string, unknown>;
}
