import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { AddKeywordDto, KeywordsQueryDto } from './dto/keyword.dto';
import { KeywordsService } from './keywords.service';

@ApiTags('Keyword watchlist')
@Controller('v1/keywords')
export class KeywordsController {
  constructor(private readonly keywords: KeywordsService) {}

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({ summary: 'The watchlist of code words, with its version' })
  list(@Caller() caller: Actor, @Query() query: KeywordsQueryDto) {
    return this.keywords.list(caller, query);
  }

  @Post()
  @Roles('ministry')
  @ApiOperation({ summary: 'Add a code word' })
  add(@Caller() caller: Actor, @Body() dto: AddKeywordDto) {
    return this.keywords.add(caller, dto);
  }

  @Delete(':id')
  @Roles('ministry')
  @ApiOperation({ summary: 'Retire a code word (kept, with status retired)' })
  retire(@Caller() caller: Actor, @UuidParam('id') id: string) {
    return this.keywords.retire(caller, id);
  }
}
