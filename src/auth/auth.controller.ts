import { Body, Controller, Get, Header, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Accepts } from '../common/media-type.guard';
import { AuthService } from './auth.service';
import { Public } from './decorators';
import { TokenRequestDto, TokenResponseDto } from './dto/token-request.dto';
import { TokenKeysService } from './token-keys.service';

@ApiTags('Authentication')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly keys: TokenKeysService,
  ) {}

  @Post('v1/auth/token')
  @Public()
  @HttpCode(200)
  @Accepts('json', 'form')
  @Header('Cache-Control', 'no-store')
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({ summary: 'OAuth 2.0 client credentials grant' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid client credentials (the same answer whatever was wrong)' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this client id or address' })
  token(@Body() dto: TokenRequestDto, @Ip() ip: string) {
    return this.auth.issueToken(dto, ip);
  }

  @Get('.well-known/jwks.json')
  @Public()
  @ApiOperation({ summary: 'Public keys that verify access tokens' })
  jwks() {
    return this.keys.jwks();
  }
}
