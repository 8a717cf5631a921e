import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsBoolean,
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

const URGENT_SLA =
  'Hours a marketplace has to take an urgent link down, at most takedownSlaHours; if absent when created, 12 or takedownSlaHours when that is less';

const REQUIRE_STATEMENT =
  'Each takedown must carry a statement of reasons (`decision` on the acknowledgement item); false if absent';

export class CreateMarketplaceDto {
  @ApiProperty({ format: 'uuid', description: 'An agency of type marketplace' })
  @IsUUID()
  agencyId!: string;

  @ApiProperty({
    pattern: '^[a-z0-9-]{2,40}$',
    example: 'shopee',
    description:
      'Selects the URL profile: shopee, tokopedia, lazada, tiktok, bukalapak, blibli; others use the generic one',
  })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'code must be 2-40 characters of a-z, 0-9 and -' })
  code!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Shopee Indonesia' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 50,
    uniqueItems: true,
    example: ['shopee.co.id', 'shp.ee'],
    description:
      'Lower-case host names; each also matches its subdomains, and belongs to one marketplace only',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(DOMAIN, { each: true, message: 'each domain must be a lower-case host name such as shopee.co.id' })
  domains!: string[];

  @ApiPropertyOptional({
    type: 'integer',
    default: 48,
    minimum: 1,
    maximum: 8760,
    description: 'Hours a marketplace has to take a normal link down before it counts as overdue',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  takedownSlaHours?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 8760, description: URGENT_SLA })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  urgentSlaHours?: number;

  @ApiPropertyOptional({ description: REQUIRE_STATEMENT })
  @IsOptional()
  @IsBoolean()
  requireStatementOfReasons?: boolean;
}

export class UpdateMarketplaceDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 50,
    uniqueItems: true,
    description: 'Replaces the whole list of domains',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(DOMAIN, { each: true, message: 'each domain must be a lower-case host name such as shopee.co.id' })
  domains?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 8760 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  takedownSlaHours?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 8760,
    description: 'At most takedownSlaHours (the one sent, else the stored one)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  urgentSlaHours?: number;

  @ApiPropertyOptional({ description: REQUIRE_STATEMENT })
  @IsOptional()
  @IsBoolean()
  requireStatementOfReasons?: boolean;
}

export class ListMarketplacesQueryDto extends PageQueryDto {}

export class MarketplaceResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The marketplace agency that runs it' }) agencyId!: string;
  @ApiProperty({ pattern: '^[a-z0-9-]{2,40}$', example: 'shopee' }) code!: string;
  @ApiProperty({ example: 'Shopee Indonesia' }) name!: string;
  @ApiProperty({
    type: [String],
    example: ['shopee.co.id', 'shp.ee'],
    description: 'In alphabetical order; each also matches its subdomains',
  })
  domains!: string[];
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 8760, example: 48 }) takedownSlaHours!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 8760,
    example: 12,
    description: 'Hours for an urgent link; at most takedownSlaHours',
  })
  urgentSlaHours!: number;
  @ApiProperty({ description: 'Each takedown must carry a statement of reasons' })
  requireStatementOfReasons!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class MarketplaceListResponseDto {
  @ApiProperty({ type: [MarketplaceResponseDto], description: 'In code order' })
  items!: MarketplaceResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
