import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { ClarificationsController } from './clarifications.controller';
import { ClarificationsRepository } from './clarifications.repository';
import { ClarificationsService } from './clarifications.service';

@Module({
  imports: [AuditModule, MarketplacesModule],
  controllers: [ClarificationsController],
  providers: [ClarificationsService, ClarificationsRepository],
})
export class ClarificationsModule {}
