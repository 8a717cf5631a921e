import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LinksModule } from '../links/links.module';
import { MarketplacesModule } from '../marketplaces/marketplaces.module';
import { EvidenceExportService } from './evidence-export.service';
import { EvidencePackageSource } from './evidence-package-source';
import { EvidenceRequestsController } from './evidence-requests.controller';
import { EvidenceRequestsRepository } from './evidence-requests.repository';
import { EvidenceRequestsService } from './evidence-requests.service';

@Module({
  imports: [AuditModule, LinksModule, MarketplacesModule],
  controllers: [EvidenceRequestsController],
  providers: [
    EvidenceRequestsService,
    EvidenceRequestsRepository,
    EvidenceExportService,
    EvidencePackageSource,
  ],
})
export class EvidenceRequestsModule {}
