import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import * as path from 'node:path';
import { ROLES, Role } from '../auth/actor';
import { projectRoot } from '../config/project-root';
import { applyConventions } from './conventions';
import { ProblemDetailsDto } from './problems';

/** The committed document: what clients generate from, and what /docs serves. */
export const OPENAPI_FILE = path.join(projectRoot(), 'openapi', 'openapi.json');

/** The oauth2 scheme's scopes: one per role; a token is issued for the role of the client's agency. */
const ROLE_SCOPES: Record<Role, string> = {
  operator: 'Runs the exchange: registers agencies, marketplaces and API clients; verifies the audit trail',
  ministry: 'Ministry of Trade: submits link batches, withdraws links, keeps the keyword watchlist',
  marketplace: 'A marketplace: acts on the links routed to it, answers evidence requests addressed to it',
  police: 'Police units: file evidence requests and download their exports',
  association: 'The e-commerce association: reads batches, links and stats across its members',
};

/**
 * The OpenAPI document as the code declares it. One builder for `npm run openapi`, its drift check and the e2e
 * suite's response validation, so all three read the same contract.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Takedown Exchange API')
    .setDescription(
      'Government, marketplaces and police exchange takedown cases. Every state change is written to a tamper-evident audit trail. Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    // Relative: resolved against the URL this document was fetched from (OpenAPI 3.0 §4.7.1 allows it), so the
    // same document works on any host and port. The token URL below resolves against it.
    .addServer('/', 'This server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'An access token from POST /v1/auth/token, sent as `Authorization: Bearer <token>`.',
      },
      'bearer',
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          "OAuth 2.0 client credentials (RFC 6749 §4.4): the API client id and secret of your agency. The operator's are written on first start to `.data/operator-credentials.json` (the demo parties' to `.data/demo-credentials.json`); an operator creates more with POST /v1/agencies/{id}/clients. A token carries the role of the agency: ask for that scope or none.",
        flows: {
          clientCredentials: {
            tokenUrl: '/v1/auth/token',
            scopes: Object.fromEntries(ROLES.map((role) => [role, ROLE_SCOPES[role]])),
          },
        },
      },
      'oauth2',
    )
    .build();
  return applyConventions(SwaggerModule.createDocument(app, builder, { extraModels: [ProblemDetailsDto] }));
}
