import { Module } from '@nestjs/common';
import { ArrivalMatching } from './arrival-matching.service';

@Module({
  providers: [ArrivalMatching],
  exports: [ArrivalMatching],
})
export class MatchingModule {}
