import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { AuditService } from './audit.service';
import { AuditEventsQueryDto, VerifyQueryDto } from './dto/audit-query.dto';

@ApiTags('Audit trail')
@Controller('v1')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit-events')
  @Roles('operator', 'ministry', 'marketplace', 'association', 'police')
  @ApiOperation({ summary: 'Audit events the caller may see, oldest first' })
  list(@Caller() caller: Actor, @Query() query: AuditEventsQueryDto) {
    return this.audit.list(caller, query);
  }

  @Get('audit/verify')
  @Roles('operator')
  @ApiOperation({ summary: 'Recompute the hash chain and report the first bad seq' })
  verify(@Query() query: VerifyQueryDto) {
    return this.audit.verify(query);
  }
}
