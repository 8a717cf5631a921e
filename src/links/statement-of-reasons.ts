import { unstorable } from './listing-evidence';

/**
 * A marketplace's statement of reasons for a takedown, in the shape of the DSA's article 17: what it did to the listing
 * and to the seller's account, on which ground, how far automated, and when it told the seller.
 */
export const SOR_VISIBILITY = ['removed', 'disabled', 'demoted'] as const;
export const SOR_ACCOUNT = ['none', 'warned', 'suspended', 'terminated'] as const;
export const SOR_GROUND = ['illegal', 'terms_of_service'] as const;
export const SOR_AUTOMATED_DECISION = ['none', 'partial', 'full'] as const;

export type AccountAction = (typeof SOR_ACCOUNT)[number];

export interface StatementOfReasons {
  visibility: (typeof SOR_VISIBILITY)[number];
  account: AccountAction;
  ground: (typeof SOR_GROUND)[number];
  legalGround?: string;
  automatedDetection: boolean;
  automatedDecision: (typeof SOR_AUTOMATED_DECISION)[number];
  sellerNotifiedAt?: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const oneOf = (values: readonly string[]) => (v: unknown) =>
  typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;

const RULES: Record<keyof StatementOfReasons, { required: boolean; check: (v: unknown) => string | null }> = {
  visibility: { required: true, check: oneOf(SOR_VISIBILITY) },
  account: { required: true, check: oneOf(SOR_ACCOUNT) },
  ground: { required: true, check: oneOf(SOR_GROUND) },
  legalGround: {
    required: false,
    check: (v) =>
      typeof v === 'string' && v.length >= 1 && v.length <= 500
        ? unstorable(v)
        : 'must be a string of 1-500 characters',
  },
  automatedDetection: { required: true, check: (v) => (typeof v === 'boolean' ? null : 'must be a boolean') },
  automatedDecision: { required: true, check: oneOf(SOR_AUTOMATED_DECISION) },
  sellerNotifiedAt: {
    required: false,
    check: (v) =>
      typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))
        ? null
        : 'must be an RFC 3339 timestamp',
  },
};

/**
 * Reads an item's statement of reasons: null when absent, a string when it is the item's error. The instant is kept
 * as the ISO text of the instant sent, so what is stored, logged and replayed is one value. Hand-written: it runs for
 * every item of a 5,000-item request.
 */
export function readStatementOfReasons(raw: unknown): StatementOfReasons | null | string {
  if (raw === undefined) return null;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'decision must be an object';
  const d = raw as Record<string, unknown>;
  for (const key in d) if (!(key in RULES)) return `decision.${key.slice(0, 50)} is not allowed`;
  for (const [key, rule] of Object.entries(RULES)) {
    if (d[key] === undefined) {
      if (rule.required) return `decision.${key} is required`;
      continue;
    }
    const problem = rule.check(d[key]);
    if (problem) return `decision.${key} ${problem}`;
  }
  const statement = { ...d } as unknown as StatementOfReasons;
  if (statement.sellerNotifiedAt !== undefined)
    statement.sellerNotifiedAt = new Date(statement.sellerNotifiedAt).toISOString();
  return statement;
}
