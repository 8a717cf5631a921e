import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { MatchingModule } from '../matching/matching.module';
import { LinkBatchesController } from './link-batches.controller';
import { LinkBatchBodyPipe } from './link-batch-body.pipe';
import { LinkBatchesRepository } from './link-batches.repository';
import { LinkBatchesService } from './link-batches.service';
import { LinkIntakeService } from './link-intake.service';

@Module({
  imports: [AuditModule, MarketplacesModule, MatchingModule],
  controllers: [LinkBatchesController],
  providers: [LinkBatchesService, LinkIntakeService, LinkBatchesRepository, LinkBatchBodyPipe],
})
export class LinkBatchesModule {}
