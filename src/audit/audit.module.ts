import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditWriter } from './audit.writer';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditWriter, AuditService],
  exports: [AuditWriter, AuditService],
})
export class AuditModule {}
