import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type Actor, ROLES } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { ApiProblems } from '../openapi/problems';
import { AuditService } from './audit.service';
import { AppError } from '../errors/app-error';
import { CheckpointsService } from './checkpoints.service';
import { AuditEventListResponseDto } from './dto/audit-event.dto';
import {
  AuditEventsQueryDto,
  ConsistencyProofQueryDto,
  InclusionProofQueryDto,
  VerifyQueryDto,
} from './dto/audit-query.dto';
import { AuditKeysResponseDto, CheckpointResponseDto } from './dto/checkpoint.dto';
import { ConsistencyProofResponseDto, InclusionProofResponseDto } from './dto/proof.dto';
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
  @ApiOperation({
    summary: 'Audit events the caller may see, oldest first',
    description:
      'Operator and ministry read every event; everyone else the events whose party is their agency (the association ' +
      'also every link, batch, marketplace and keyword event; a marketplace every keyword event). Paged by seq: ' +
      'pass nextCursor as cursor, or afterSeq to follow the log.',
  })
  @ApiOkResponse({ type: AuditEventListResponseDto })
  list(@Caller() caller: Actor, @Query() query: AuditEventsQueryDto): Promise<AuditEventListResponseDto> {
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
      'a log that ends before a signed tree size is reported. Reports the first seq that can no longer be vouched for. ' +
      'A failed check is a 200 with ok: false; it waits in the bounded queue of heavy work (503 when full).',
  })
  @ApiOkResponse({ type: VerifyResultDto, description: 'The outcome, ok or not' })
  @ApiProblems([400, 'toSeq below fromSeq, or fromSeq past the head of the log'])
  verify(@Query() query: VerifyQueryDto): Promise<VerifyResultDto> {
    // A full verification reads the whole log: it waits in the same bounded queue as exports (503 when full).
    return this.heavy.run(() => this.audit.verify(query));
  }

  @Get('audit/checkpoints/latest')
  @Roles(...ROLES)
  @ApiOperation({
    summary: 'The latest signed checkpoint: tree size, Merkle root, time',
    description:
      'Covers every event committed before the call: one is signed now if the log grew since the last.',
  })
  @ApiOkResponse({ type: CheckpointResponseDto })
  latestCheckpoint(): Promise<CheckpointResponseDto> {
    return this.checkpoints.latest();
  }

  @Get('audit/checkpoints/:treeSize')
  @Roles(...ROLES)
  @ApiParam({ name: 'treeSize', type: 'integer', description: 'The tree size a checkpoint was signed at' })
  @ApiOperation({ summary: 'The checkpoint of a given tree size' })
  @ApiOkResponse({ type: CheckpointResponseDto })
  @ApiProblems([404, 'No checkpoint was signed at this tree size'])
  checkpoint(@Param('treeSize', treeSizeParam) treeSize: number): Promise<CheckpointResponseDto> {
    return this.checkpoints.at(treeSize);
  }

  @Get('audit/keys')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Ed25519 public keys that sign checkpoints and evidence packages' })
  @ApiOkResponse({ type: AuditKeysResponseDto })
  keys(): AuditKeysResponseDto {
    return this.checkpoints.keys();
  }

  @Get('audit/proofs/inclusion')
  @Roles(...ROLES)
  @ApiOperation({
    summary: 'RFC 9162 inclusion proof of an event in the tree of a given size',
    description: 'The path leads from the event’s entry hash to the root of the tree of treeSize events.',
  })
  @ApiOkResponse({ type: InclusionProofResponseDto })
  @ApiProblems(
    [400, 'seq past treeSize (PROOF_OUT_OF_RANGE), or a parameter is not an integer'],
    [404, 'The log does not hold treeSize events yet'],
  )
  inclusion(@Query() query: InclusionProofQueryDto): Promise<InclusionProofResponseDto> {
    return this.tree.inclusionProof(query.seq, query.treeSize);
  }

  @Get('audit/proofs/consistency')
  @Roles(...ROLES)
  @ApiOperation({
    summary: 'RFC 9162 consistency proof between two tree sizes',
    description:
      'Proves the tree of `to` events extends the tree of `from` events (an append, nothing rewritten).',
  })
  @ApiOkResponse({ type: ConsistencyProofResponseDto })
  @ApiProblems(
    [400, 'from above to (PROOF_OUT_OF_RANGE), or a parameter is not an integer'],
    [404, 'The log does not hold `to` events yet'],
  )
  consistency(@Query() query: ConsistencyProofQueryDto): Promise<ConsistencyProofResponseDto> {
    return this.tree.consistencyProof(query.from, query.to);
  }
}
