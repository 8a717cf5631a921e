import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditWriter } from './audit.writer';
import { CheckpointsService } from './checkpoints.service';
import { MerkleTreeService } from './merkle-tree.service';

@Module({
  controllers: [AuditController],
  providers: [AuditWriter, AuditService, AuditRepository, MerkleTreeService, CheckpointsService],
  exports: [AuditWriter, AuditService, MerkleTreeService, CheckpointsService],
})
export class AuditModule {}
