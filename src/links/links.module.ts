import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { LinksController } from './links.controller';
import { LinksService } from './links.service';

@Module({
  imports: [AuditModule, MarketplacesModule],
  controllers: [LinksController],
  providers: [LinksService],
})
export class LinksModule {}
