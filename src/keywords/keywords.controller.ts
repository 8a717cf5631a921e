import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import { AddKeywordDto, KeywordsQueryDto } from './dto/keyword.dto';
import { KeywordListResponseDto, KeywordResponseDto } from './dto/keyword-response.dto';
import { KeywordsService } from './keywords.service';

@ApiTags('Keyword watchlist')
@Controller('v1/keywords')
export class KeywordsController {
  constructor(private readonly keywords: KeywordsService) {}

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary: 'The watchlist of code words, with its version',
    description:
      'Sync with sinceVersion: pass the version of the last answer to get only the terms added or retired since (retired ones too, so a copy can drop them).',
  })
  @ApiOkResponse({ type: KeywordListResponseDto })
  list(@Caller() caller: Actor, @Query() query: KeywordsQueryDto): Promise<KeywordListResponseDto> {
    return this.keywords.list(caller, query);
  }

  @Post()
  @Roles('ministry')
  @ApiOperation({ summary: 'Add a code word' })
  @ApiCreatedResponse({ type: KeywordResponseDto, description: 'The term as added' })
  @ApiProblems([409, 'The term (ignoring case and spacing) is already on the watchlist'])
  add(@Caller() caller: Actor, @Body() dto: AddKeywordDto): Promise<KeywordResponseDto> {
    return this.keywords.add(caller, dto);
  }

  @Delete(':id')
  @Roles('ministry')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The term’s id' })
  @ApiOperation({
    summary: 'Retire a code word (kept, with status retired)',
    description: 'Retiring a retired term changes nothing and answers it again.',
  })
  @ApiOkResponse({ type: KeywordResponseDto, description: 'The term as retired' })
  @ApiProblems(404)
  retire(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<KeywordResponseDto> {
    return this.keywords.retire(caller, id);
  }
}
