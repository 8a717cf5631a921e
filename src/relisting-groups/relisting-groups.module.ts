import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { RelistingGroupsController } from './relisting-groups.controller';
import { RelistingGroupsRepository } from './relisting-groups.repository';
import { RelistingGroupsService } from './relisting-groups.service';

@Module({
  imports: [AuditModule, MarketplacesModule],
  controllers: [RelistingGroupsController],
  providers: [RelistingGroupsService, RelistingGroupsRepository],
  exports: [RelistingGroupsService, RelistingGroupsRepository],
})
export class RelistingGroupsModule {}
