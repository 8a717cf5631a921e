import { Module } from '@nestjs/common';
import { RateLimits } from '../common/rate-limits.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { TokenKeysService } from './token-keys.service';

@Module({
  controllers: [AuthController],
  providers: [AuthService, TokenKeysService, RateLimits],
  exports: [TokenKeysService, RateLimits],
})
export class AuthModule {}
