import { Module } from '@nestjs/common';
import { LinkBatchesController } from './link-batches.controller';
import { LinkBatchesService } from './link-batches.service';
import { LinkIntakeService } from './link-intake.service';

@Module({ controllers: [LinkBatchesController], providers: [LinkBatchesService, LinkIntakeService] })
export class LinkBatchesModule {}
