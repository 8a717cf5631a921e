import { Global, Module } from '@nestjs/common';
import { MarketplaceDirectory } from './marketplace-directory';
import { MarketplacesController } from './marketplaces.controller';
import { MarketplacesService } from './marketplaces.service';

@Global()
@Module({
  controllers: [MarketplacesController],
  providers: [MarketplacesService, MarketplaceDirectory],
  exports: [MarketplacesService, MarketplaceDirectory],
})
export class MarketplacesModule {}
