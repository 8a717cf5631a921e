import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { MatchingModule } from '../matching/matching.module';
import { RelistingGroupsModule } from '../relisting-groups/relisting-groups.module';
import { LinkReader } from './link-reader';
import { LinksController } from './links.controller';
import { LinksRepository } from './links.repository';
import { LinksService } from './links.service';

@Module({
  imports: [AuditModule, MarketplacesModule, MatchingModule, RelistingGroupsModule],
  controllers: [LinksController],
  providers: [LinksService, LinksRepository, LinkReader],
  exports: [LinkReader],
})
export class LinksModule {}
