import { Module } from '@nestjs/common';
import { EvidenceExportService } from './evidence-export.service';
import { EvidencePackageSource } from './evidence-package-source';
import { EvidenceRequestsController } from './evidence-requests.controller';
import { EvidenceRequestsService } from './evidence-requests.service';

@Module({
  controllers: [EvidenceRequestsController],
  providers: [EvidenceRequestsService, EvidenceExportService, EvidencePackageSource],
})
export class EvidenceRequestsModule {}
