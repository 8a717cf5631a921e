import { Module } from '@nestjs/common';
import { FingerprintsController } from './fingerprints.controller';
import { FingerprintsService } from './fingerprints.service';
import { ImageHashing } from './image-hashing';

@Module({
  controllers: [FingerprintsController],
  providers: [FingerprintsService, ImageHashing],
})
export class FingerprintsModule {}
