export const ROLES = ['operator', 'ministry', 'marketplace', 'association', 'police'] as const;
export type Role = (typeof ROLES)[number];

/** The caller of a service method: who acts (for access checks) and what the audit trail records. */
export interface Actor {
  clientId: string | null;
  agencyId: string | null;
  role: Role | 'system';
  requestId: string | null;
  /** For marketplace callers: the marketplaces their agency runs, read with the credentials check. */
  marketplaceIds?: string[];
}

export const SYSTEM_ACTOR: Actor = { clientId: null, agencyId: null, role: 'system', requestId: null };
