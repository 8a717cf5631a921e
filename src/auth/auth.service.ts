import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AppError, tooManyRequests } from '../errors/app-error';
import { normaliseClientId, RateLimits } from '../common/rate-limits.service';
import { TokenRequestDto, TokenResponseDto } from './dto/token-request.dto';
import { verifySecret } from './secrets';
import { TOKEN_ALG, TokenKeysService } from './token-keys.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly keys: TokenKeysService,
    private readonly limits: RateLimits,
  ) {}

  /**
   * Every failure says the same thing, so a caller cannot tell an unknown client from a wrong secret. Only failed
   * attempts count, per (client id, address): a stranger guessing elsewhere cannot lock the owner out, and the
   * address's own flood is the unauthenticated budget's business (counted before the body was read).
   */
  async issueToken(dto: TokenRequestDto, ip: string): Promise<TokenResponseDto> {
    const clientId = normaliseClientId(dto.client_id);
    const check = await this.limits.tokenAttempt(clientId, ip, false);
    if (check.retryAfter > 0) throw tooManyRequests(check.retryAfter);
    try {
      return await this.issue(clientId, dto.client_secret);
    } catch (error) {
      if (error instanceof AppError && error.status === 401)
        await this.limits.tokenAttempt(clientId, ip, true);
      throw error;
    }
  }

  private async issue(clientId: string, clientSecret: string): Promise<TokenResponseDto> {
    const rows = UUID.test(clientId)
      ? await this.dataSource.query<
          {
            id: string;
            secret_hash: string;
            revoked_at: Date | null;
            agency_id: string;
            type: string;
            status: string;
          }[]
        >(
          `SELECT c.id, c.secret_hash, c.revoked_at, a.id AS agency_id, a.type, a.status
             FROM api_clients c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1`,
          [clientId],
        )
      : [];
    const client = rows[0];
    const secretOk = await verifySecret(clientSecret, client?.secret_hash ?? null);
    if (!client || !secretOk || client.revoked_at !== null || client.status !== 'active') {
      throw AppError.unauthorized('Invalid client credentials');
    }
    const accessToken = await new SignJWT({ agency: client.agency_id, role: client.type })
      .setProtectedHeader({ alg: TOKEN_ALG, kid: this.keys.kid, typ: 'JWT' })
      .setIssuer(this.config.tokenIssuer)
      .setAudience(this.config.tokenAudience)
      .setSubject(client.id)
      .setIssuedAt()
      .setExpirationTime(`${this.config.tokenTtlSeconds}s`)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.tokenTtlSeconds,
      scope: client.type,
    };
  }
}
