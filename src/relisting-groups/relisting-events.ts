import type { AuditRecord } from '../audit/audit-vocabulary';

/** Relisting groups are the ministry's and the association's to read: no party besides them. */

export function relistingGroupLinked(
  groupId: string,
  change: {
    /** Links that joined the group with this change. */
    added: string[];
    /** Groups merged into this one (they no longer exist). */
    merged: string[];
    /** The signals that tied them: arrived link, matched link, signal. */
    ties: { linkId: string; matchedLinkId: string; signal: string }[];
  },
): AuditRecord {
  return {
    action: 'relisting_group.linked',
    entityType: 'relisting_group',
    entityId: groupId,
    data: {
      added: change.added,
      ...(change.merged.length > 0 ? { merged: change.merged } : {}),
      ties: change.ties,
    },
  };
}

export function relistingGroupMemberDismissed(
  groupId: string,
  linkId: string,
  change: { reason: string | null; pairs: number; dissolved: boolean },
): AuditRecord {
  return {
    action: 'relisting_group.member_dismissed',
    entityType: 'relisting_group',
    entityId: groupId,
    data: {
      linkId,
      ...(change.reason ? { reason: change.reason } : {}),
      pairs: change.pairs,
      ...(change.dissolved ? { dissolved: true } : {}),
    },
  };
}
