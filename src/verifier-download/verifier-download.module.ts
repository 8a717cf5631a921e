import { Module } from '@nestjs/common';
import { VerifierDownloadController } from './verifier-download.controller';

@Module({ controllers: [VerifierDownloadController] })
export class VerifierDownloadModule {}
