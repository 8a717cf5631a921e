import { ApiProperty } from '@nestjs/swagger';

export class LivenessResponseDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class ReadinessResponseDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ enum: ['ok'], description: 'The database answers' }) database!: 'ok';
  @ApiProperty({ enum: ['applied'], description: 'Every migration is applied' }) migrations!: 'applied';
}
