import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { JwksDto } from './dto/jwks.dto';
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

  jwks(): JwksDto {
    const { kty, crv, x, y, kid } = publicJwk(this.privateKey, {});
    return { keys: [{ kty, crv, x, y, kid, use: 'sig', alg: TOKEN_ALG }] };
  }
}
