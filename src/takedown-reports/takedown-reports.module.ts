import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { MatchingModule } from '../matching/matching.module';
import { TakedownReportsController } from './takedown-reports.controller';
import { TakedownReportsRepository } from './takedown-reports.repository';
import { TakedownReportsService } from './takedown-reports.service';

@Module({
  imports: [AuditModule, MarketplacesModule, MatchingModule],
  controllers: [TakedownReportsController],
  providers: [TakedownReportsService, TakedownReportsRepository],
})
export class TakedownReportsModule {}
