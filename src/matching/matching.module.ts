import { Module } from '@nestjs/common';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { RelistingGroupsModule } from '../relisting-groups/relisting-groups.module';
import { ArrivalMatching } from './arrival-matching.service';
import { FingerprintIndexService } from './fingerprint-index.service';
import { FingerprintsRepository } from './fingerprints.repository';
import { MatchingEngine } from './matching-engine';
import { ScreeningsController } from './screenings.controller';
import { ScreeningsService } from './screenings.service';

@Module({
  imports: [RelistingGroupsModule, MarketplacesModule],
  controllers: [ScreeningsController],
  providers: [
    ScreeningsService,
    ArrivalMatching,
    MatchingEngine,
    FingerprintIndexService,
    FingerprintsRepository,
  ],
  exports: [ArrivalMatching, MatchingEngine, FingerprintIndexService],
})
export class MatchingModule {}
