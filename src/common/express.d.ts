import type { PreVerifiedToken } from '../auth/access-token';
import type { Actor } from '../auth/actor';

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
    actor?: Actor;
    bodySha256?: string;
    /** The bearer token as checked before the body was read (see cheapRefusals). */
    preAuth?: PreVerifiedToken;
  }
}
