import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { MatchingModule } from '../matching/matching.module';
import { ObservationsController } from './observations.controller';
import { ObservationsRepository } from './observations.repository';
import { ObservationsService } from './observations.service';

@Module({
  imports: [AuditModule, MarketplacesModule, MatchingModule],
  controllers: [ObservationsController],
  providers: [ObservationsService, ObservationsRepository],
})
export class ObservationsModule {}
