import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import * as path from 'node:path';
import { projectRoot } from '../config/project-root';
import { applyConventions } from './conventions';
import { ProblemDetailsDto } from './problems';

/** The committed document: what clients generate from, and what /docs serves. */
export const OPENAPI_FILE = path.join(projectRoot(), 'openapi', 'openapi.json');

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
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return applyConventions(SwaggerModule.createDocument(app, builder, { extraModels: [ProblemDetailsDto] }));
}
