import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { BootstrapService } from './bootstrap.service';

/** Start-up: the first operator, and the demo agencies when asked for. */
@Module({
  imports: [AgenciesModule, MarketplacesModule],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class BootstrapModule {}
