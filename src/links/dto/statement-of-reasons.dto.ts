import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SOR_ACCOUNT,
  SOR_AUTOMATED_DECISION,
  SOR_GROUND,
  SOR_VISIBILITY,
  StatementOfReasons,
} from '../statement-of-reasons';

/** A statement of reasons as OpenAPI tells it; read by readStatementOfReasons, which is what holds. */
export class StatementOfReasonsDto implements StatementOfReasons {
  @ApiProperty({ enum: SOR_VISIBILITY, description: 'What was done to the listing' })
  visibility!: StatementOfReasons['visibility'];

  @ApiProperty({ enum: SOR_ACCOUNT, description: 'What was done to the seller’s account' })
  account!: StatementOfReasons['account'];

  @ApiProperty({
    enum: SOR_GROUND,
    description: 'Illegal content, or incompatible with the terms of service',
  })
  ground!: StatementOfReasons['ground'];

  @ApiPropertyOptional({ minLength: 1, maxLength: 500, example: 'Permendag 40/2022 Pasal 2 ayat (3)' })
  legalGround?: string;

  @ApiProperty({ description: 'The listing was found by automated means' })
  automatedDetection!: boolean;

  @ApiProperty({
    enum: SOR_AUTOMATED_DECISION,
    description: 'How far the decision was taken by automated means',
  })
  automatedDecision!: StatementOfReasons['automatedDecision'];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the seller was told' })
  sellerNotifiedAt?: string;
}
