/** SQLSTATEs we act on; see https://www.postgresql.org/docs/current/errcodes-appendix.html */
export const PgError = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  invalidTextRepresentation: '22P02',
  /** A NUL byte in text ("invalid byte sequence for encoding UTF8: 0x00"). */
  characterNotInRepertoire: '22021',
  /** \u0000 in jsonb ("unsupported Unicode escape sequence"). */
  untranslatableCharacter: '22P05',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  cannotConnectNow: '57P03',
} as const;

export function pgCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : e.driverError?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = e?.constraint ?? e?.driverError?.constraint;
  return typeof c === 'string' ? c : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = pgCode(error);
  return code === PgError.serializationFailure || code === PgError.deadlockDetected;
}

/** Lost connections and a server going away: the client did nothing wrong, so these are 503. */
export function isUnavailable(error: unknown): boolean {
  const code = pgCode(error);
  if (code === PgError.adminShutdown || code === PgError.cannotConnectNow || code?.startsWith('08'))
    return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

/** What a unique constraint means to a client; an unlisted one gets a generic message. */
export const UNIQUE_CONSTRAINT_MESSAGES: Record<string, string> = {
  uq_agencies_code: 'An agency with this code already exists',
  uq_marketplaces_code: 'A marketplace with this code already exists',
  pk_marketplace_domains: 'One of these domains already belongs to a marketplace',
  uq_keywords_active_term: 'This term is already on the watchlist',
  uq_objections_open_link: 'An objection to this link is open already: the ministry decides it first',
  pk_link_notifiers:
    'Another batch of this ministry co-notified one of these links at the same moment: send the batch again',
};
