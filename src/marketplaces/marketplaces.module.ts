import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplaceDirectory } from './marketplace-directory';
import { MarketplacesController } from './marketplaces.controller';
import { MarketplacesRepository } from './marketplaces.repository';
import { MarketplacesService } from './marketplaces.service';

@Module({
  imports: [AuditModule],
  controllers: [MarketplacesController],
  providers: [MarketplacesService, MarketplaceDirectory, MarketplacesRepository],
  exports: [MarketplacesService, MarketplaceDirectory],
})
export class MarketplacesModule {}
