import { Module } from '@nestjs/common';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({
  imports: [MarketplacesModule],
  controllers: [StatsController],
  providers: [StatsService],
})
export class StatsModule {}
