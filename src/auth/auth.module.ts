import { Global, Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { TokenKeysService } from './token-keys.service';

@Global()
@Module({
  controllers: [AuthController],
  providers: [AuthService, TokenKeysService],
  exports: [TokenKeysService],
})
export class AuthModule {}
