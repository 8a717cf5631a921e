import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';

export const CLARIFICATION_STATUSES = ['open', 'answered'] as const;
export type ClarificationStatus = (typeof CLARIFICATION_STATUSES)[number];

const NOT_BLANK = /\S/;

export class AskClarificationDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 4000,
    example: 'The listing shows new clothes with tags: which part of the notice applies?',
    description: 'Not blank',
  })
  @IsString()
  @Length(1, 4000)
  @Matches(NOT_BLANK, { message: 'question must not be blank' })
  question!: string;
}

export class AnswerClarificationDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, description: 'Not blank' })
  @IsString()
  @Length(1, 4000)
  @Matches(NOT_BLANK, { message: 'answer must not be blank' })
  answer!: string;
}

export class ClarificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the questions about this link' })
  @IsOptional()
  @IsUUID()
  linkId?: string;

  @ApiPropertyOptional({ enum: CLARIFICATION_STATUSES })
  @IsOptional()
  @IsIn(CLARIFICATION_STATUSES)
  status?: ClarificationStatus;
}
