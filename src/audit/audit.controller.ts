import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, ROLES } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { AuditService } from './audit.service';
import { AppError } from '../errors/app-error';
import { CheckpointsService } from './checkpoints.service';
import {
  AuditEventsQueryDto,
  ConsistencyProofQueryDto,
  InclusionProofQueryDto,
  VerifyQueryDto,
} from './dto/audit-query.dto';
import { HeavyWork } from '../database/heavy-work';
import { VerifyResultDto } from './dto/verify-result.dto';
import { MerkleTreeService } from './merkle-tree.service';

const treeSizeParam = new ParseIntPipe({
  exceptionFactory: () => AppError.validation([{ path: 'treeSize', message: 'treeSize must be an integer' }]),
});

@ApiTags('Audit trail')
@Controller('v1')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly tree: MerkleTreeService,
    private readonly checkpoints: CheckpointsService,
    private readonly heavy: HeavyWork,
  ) {}

  @Get('audit-events')
  @Roles('operator', 'ministry', 'marketplace', 'association', 'police')
  @ApiOperation({ summary: 'Audit events the caller may see, oldest first' })
  list(@Caller() caller: Actor, @Query() query: AuditEventsQueryDto) {
    return this.audit.list(caller, query);
  }

  @Get('audit/verify')
  @Roles('operator')
  @ApiOperation({
    summary: 'Check every row, the hash chain, the signed checkpoints and the stored Merkle tree',
    description:
      'Each event of the range is checked against its canonical text (searchable columns, entry hash, seq and prev). ' +
      'When the range starts at seq 1 (the default), the Merkle root at every signed checkpoint is recomputed from the ' +
      'log and compared with the signed root, each signature is verified, and the stored Merkle nodes are compared; ' +
      'a log that ends before a signed tree size is reported. Reports the first seq that can no longer be vouched for.',
  })
  @ApiOkResponse({ type: VerifyResultDto })
  verify(@Query() query: VerifyQueryDto): Promise<VerifyResultDto> {
    // A full verification reads the whole log: it waits in the same bounded queue as exports (503 when full).
    return this.heavy.run(() => this.audit.verify(query));
  }

  @Get('audit/checkpoints/latest')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'The latest signed checkpoint: tree size, Merkle root, time' })
  latestCheckpoint() {
    return this.checkpoints.latest();
  }

  @Get('audit/checkpoints/:treeSize')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'The checkpoint of a given tree size' })
  checkpoint(@Param('treeSize', treeSizeParam) treeSize: number) {
    return this.checkpoints.at(treeSize);
  }

  @Get('audit/keys')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Ed25519 public keys that sign checkpoints and evidence packages' })
  keys() {
    return this.checkpoints.keys();
  }

  @Get('audit/proofs/inclusion')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of an event in the tree of a given size' })
  inclusion(@Query() query: InclusionProofQueryDto) {
    return this.tree.inclusionProof(query.seq, query.treeSize);
  }

  @Get('audit/proofs/consistency')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'RFC 9162 consistency proof between two tree sizes' })
  consistency(@Query() query: ConsistencyProofQueryDto) {
    return this.tree.consistencyProof(query.from, query.to);
  }
}
