import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { KeywordsController } from './keywords.controller';
import { KeywordsRepository } from './keywords.repository';
import { KeywordsService } from './keywords.service';
import { WatchlistRepository } from './watchlist.repository';

@Module({
  imports: [AuditModule, MarketplacesModule],
  controllers: [KeywordsController],
  providers: [KeywordsService, KeywordsRepository, WatchlistRepository],
  exports: [WatchlistRepository],
})
export class KeywordsModule {}
