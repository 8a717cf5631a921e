import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4); the field names are OAuth's, hence snake_case. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  @IsIn(['client_credentials'], { message: 'grant_type must be client_credentials' })
  grant_type!: string;

  @ApiProperty({ format: 'uuid' })
  @IsString()
  @Length(1, 100)
  client_id!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  client_secret!: string;
}

export class TokenResponseDto {
  @ApiProperty()
  access_token!: string;
  @ApiProperty({ example: 'Bearer' })
  token_type!: 'Bearer';
  @ApiProperty({ example: 900 })
  expires_in!: number;
  @ApiProperty({ example: 'ministry' })
  scope!: string;
}
