import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AppError, tooManyRequests } from '../errors/app-error';
import { normaliseClientId, RateLimits } from '../common/rate-limits.service';
import { TokenResponseDto } from './dto/token-request.dto';
import { invalidClient, oauthError } from './oauth-errors';
import { verifySecret } from './secrets';
import { TOKEN_ALG, TokenKeysService } from './token-keys.service';
import { readTokenRequest, TokenRequest } from './token-request';

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
   * Every failed authentication says the same thing, so a caller cannot tell an unknown client from a wrong secret.
   * Only failed attempts count, per (client id, address): a stranger guessing elsewhere cannot lock the owner out, and
   * the address's own flood is the unauthenticated budget's business (counted before the body was read).
   */
  async issueToken(body: unknown, authorization: string | undefined, ip: string): Promise<TokenResponseDto> {
    const request = readTokenRequest(body, authorization);
    const clientId = normaliseClientId(request.clientId);
    const check = await this.limits.tokenAttempt(clientId, ip, false);
    if (check.retryAfter > 0) throw tooManyRequests(check.retryAfter);
    try {
      return await this.issue(clientId, request);
    } catch (error) {
      if (error instanceof AppError && error.status === 401)
        await this.limits.tokenAttempt(clientId, ip, true);
      throw error;
    }
  }

  private async issue(clientId: string, request: TokenRequest): Promise<TokenResponseDto> {
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
    const secretOk = await verifySecret(request.clientSecret, client?.secret_hash ?? null);
    if (!client || !secretOk || client.revoked_at !== null || client.status !== 'active') {
      throw invalidClient('Invalid client credentials', request.method === 'client_secret_basic');
    }
    // One scope per client: its agency's role. Asking for none gets it too (RFC 6749 §3.3 lets the server default).
    const role = client.type;
    if (request.scope.some((s) => s !== role)) {
      throw oauthError('invalid_scope', `This client may be granted only the scope ${role}`);
    }
    // RFC 9068: typ at+jwt, and client_id beside sub (the same id: no resource owner in this grant).
    const accessToken = await new SignJWT({
      client_id: client.id,
      scope: role,
      agency: client.agency_id,
      role,
    })
      .setProtectedHeader({ alg: TOKEN_ALG, kid: this.keys.kid, typ: 'at+jwt' })
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
      scope: role,
    };
  }
}
