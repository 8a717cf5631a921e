import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../../auth/actor';
import type { Actor } from '../../auth/actor';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../audit-events';
import type { AuditAction, AuditEntityType } from '../audit-events';

export const HEX_SHA256 = '^[0-9a-f]{64}$';

/** Who caused an event: an API client of an agency, or the system itself (both ids null). */
export class AuditActorResponseDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the system' })
  clientId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the system' })
  agencyId!: string | null;

  @ApiProperty({ enum: [...ROLES, 'system'] })
  role!: Actor['role'];
}

/** One entry of the audit log as a reader sees it; `canonical` is the exact text that was hashed. */
export class AuditEventResponseDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position in the log; leaf index seq - 1' })
  seq!: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: AuditActorResponseDto })
  actor!: AuditActorResponseDto;

  @ApiProperty({
    enum: AUDIT_ACTIONS,
    enumName: 'AuditAction',
    description: 'See docs/audit-events.md; the list only grows',
  })
  action!: AuditAction;

  @ApiProperty({
    enum: AUDIT_ENTITY_TYPES,
    enumName: 'AuditEntityType',
    description: 'What the event is about; entityId is its id',
  })
  entityType!: AuditEntityType;

  @ApiProperty({ format: 'uuid' })
  entityId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The X-Request-Id of the request that wrote it; null for the system',
  })
  requestId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The action's data, as in docs/audit-events.md",
  })
  data!: Record<string, unknown>;

  @ApiProperty({ description: 'The exact RFC 8785 text that was hashed into entryHash' })
  canonical!: string;

  @ApiProperty({ pattern: HEX_SHA256, description: 'entryHash of the event before (64 zeros for seq 1)' })
  prevHash!: string;

  @ApiProperty({ pattern: HEX_SHA256 })
  entryHash!: string;
}

export class AuditEventListResponseDto {
  @ApiProperty({ type: [AuditEventResponseDto] })
  items!: AuditEventResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
