import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { ObjectionsController } from './objections.controller';
import { ObjectionsRepository } from './objections.repository';
import { ObjectionsService } from './objections.service';

@Module({
  imports: [AuditModule, MarketplacesModule],
  controllers: [ObjectionsController],
  providers: [ObjectionsService, ObjectionsRepository],
})
export class ObjectionsModule {}
