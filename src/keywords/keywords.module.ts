import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { KeywordsController } from './keywords.controller';
import { KeywordsRepository } from './keywords.repository';
import { KeywordsService } from './keywords.service';

@Module({
  imports: [AuditModule],
  controllers: [KeywordsController],
  providers: [KeywordsService, KeywordsRepository],
})
export class KeywordsModule {}
