import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export class CreateMarketplaceDto {
  @ApiProperty({ format: 'uuid', description: 'An agency of type marketplace' })
  @IsUUID()
  agencyId!: string;

  @ApiProperty({
    example: 'shopee',
    description:
      'Selects the URL profile: shopee, tokopedia, lazada, tiktok, bukalapak, blibli; others use the generic one',
  })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'code must be 2-40 characters of a-z, 0-9 and -' })
  code!: string;

  @ApiProperty({ example: 'Shopee Indonesia' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    type: [String],
    example: ['shopee.co.id', 'shp.ee'],
    description: 'Each domain also matches its subdomains',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(DOMAIN, { each: true, message: 'each domain must be a lower-case host name such as shopee.co.id' })
  domains!: string[];

  @ApiPropertyOptional({ default: 48, minimum: 1, maximum: 8760 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  takedownSlaHours?: number;
}

export class UpdateMarketplaceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the list of domains' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(DOMAIN, { each: true, message: 'each domain must be a lower-case host name such as shopee.co.id' })
  domains?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 8760 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  takedownSlaHours?: number;
}

export class ListMarketplacesQueryDto extends PageQueryDto {}

export class MarketplaceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) domains!: string[];
  @ApiProperty() takedownSlaHours!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
