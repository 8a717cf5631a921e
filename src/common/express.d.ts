import type { Actor } from '../auth/actor';

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
    actor?: Actor;
    bodySha256?: string;
  }
}
