import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { jwkThumbprint, loadOrCreatePrivateKey, publicJwk } from './keys';

export const TOKEN_ALG = 'ES256';

@Injectable()
export class TokenKeysService {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.privateKey = loadOrCreatePrivateKey(config.tokenKeyFile, 'ec-p256');
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = jwkThumbprint(this.publicKey);
  }

  jwks(): { keys: Record<string, string>[] } {
    return { keys: [publicJwk(this.privateKey, { use: 'sig', alg: TOKEN_ALG })] };
  }
}
