import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { KeywordsModule } from '../keywords/keywords.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { RelistingGroupsModule } from '../relisting-groups/relisting-groups.module';
import { ArrivalMatching } from './arrival-matching.service';
import { FingerprintIndexService } from './fingerprint-index.service';
import { FingerprintsRepository } from './fingerprints.repository';
import { MatchingEngine } from './matching-engine';
import { MatchingJobsRepository } from './matching-jobs.repository';
import { MatchingWorker } from './matching-worker.service';
import { ScreeningsController } from './screenings.controller';
import { ScreeningsService } from './screenings.service';

@Module({
  imports: [AuditModule, KeywordsModule, RelistingGroupsModule, MarketplacesModule],
  controllers: [ScreeningsController],
  providers: [
    ScreeningsService,
    ArrivalMatching,
    MatchingEngine,
    FingerprintIndexService,
    FingerprintsRepository,
    MatchingJobsRepository,
    MatchingWorker,
  ],
  exports: [MatchingWorker, MatchingEngine, FingerprintIndexService],
})
export class MatchingModule {}
