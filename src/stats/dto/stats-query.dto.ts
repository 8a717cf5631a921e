import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class StatsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Links created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Links created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
