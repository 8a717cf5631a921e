import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, Role } from './actor';

export const IS_PUBLIC = 'is-public';
export const ROLES_KEY = 'roles';

export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Who may call a route; the same list is written into the OpenAPI document, as the oauth2 scopes a token needs and
 * in the 403's description (401 and the problem schema are added by the document's conventions).
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiSecurity('bearer'),
    ApiSecurity('oauth2', roles),
    ApiForbiddenResponse({ description: `Only ${roles.join(', ')} may call this` }),
  );

export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Request>();
  if (!req.actor) throw new Error('Caller used on a public route');
  return req.actor;
});
