import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import {
  AddKeywordDto,
  KeywordHitsQueryDto,
  KeywordSuggestionsQueryDto,
  KeywordsQueryDto,
} from './dto/keyword.dto';
import {
  KeywordHitsResponseDto,
  KeywordListResponseDto,
  KeywordResponseDto,
  KeywordSuggestionsResponseDto,
} from './dto/keyword-response.dto';
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

  @Get('suggestions')
  @Roles('operator', 'ministry', 'association')
  @ApiOperation({
    summary: 'Words rising in taken-down titles that are not on the watchlist yet',
    description:
      'Each word of the titles taken down in the period (the last day, 7 or 30 days up to today, UTC) is compared ' +
      'with the periods before: a word is suggested when it is in at least minCount of the period’s titles and its ' +
      'share of them is at least twice its share before (or it is new): new words first, then by growth. Words ' +
      'already a term or a one-word variant ' +
      'of an active term are left out.',
  })
  @ApiOkResponse({ type: KeywordSuggestionsResponseDto })
  suggestions(@Query() query: KeywordSuggestionsQueryDto): Promise<KeywordSuggestionsResponseDto> {
    return this.keywords.suggestions(query);
  }

  @Get(':id/hits')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The term’s id' })
  @ApiOperation({
    summary: 'How often a term was in titles that reached the exchange',
    description:
      'Every title that reaches the exchange is matched against the active watchlist: batch links’ listings, ' +
      'acknowledgements’ and takedown reports’ listing evidence, observations’ listings and screenings (those after ' +
      'their request’s commit, screenings at once). A marketplace counts only its own marketplaces’ titles.',
  })
  @ApiOkResponse({ type: KeywordHitsResponseDto })
  @ApiProblems(404)
  hits(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Query() query: KeywordHitsQueryDto,
  ): Promise<KeywordHitsResponseDto> {
    return this.keywords.hits(caller, id, query);
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
