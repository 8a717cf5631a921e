import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { Accepts } from '../common/media-type.guard';
import { ApiProblems } from '../openapi/problems';
import { FingerprintResponseDto } from './dto/fingerprint-response.dto';
import { FingerprintsService } from './fingerprints.service';
import { IMAGE_MEDIA_TYPES } from './image-format';

@ApiTags('Matching')
@Controller('v1/fingerprints')
export class FingerprintsController {
  constructor(private readonly fingerprints: FingerprintsService) {}

  @Post()
  @HttpCode(200)
  @Roles('operator', 'ministry', 'marketplace')
  @Accepts('jpeg', 'png', 'webp')
  @ApiOperation({
    summary: "An image's perceptual hash, for parties without their own hasher",
    description:
      'The body is the image file itself (at most 10 MB, at most 50 megapixels decoded); its bytes must be of the type ' +
      'Content-Type names. Answers the phash (64-bit DCT hash as sharp-phash 2.x computes it, 16 lower-case hex ' +
      'characters, most significant bit first) to put in listing evidence or a screening. Nothing is stored. Hashing ' +
      'waits in a bounded queue (503 + Retry-After when full).',
  })
  @ApiConsumes(...IMAGE_MEDIA_TYPES)
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: FingerprintResponseDto, description: "The image's hashes (today its phash)" })
  @ApiProblems(
    [400, 'The body could not be read'],
    401,
    [413, 'The body is over 10 MB'],
    [
      415,
      'Content-Type is not image/jpeg, image/png or image/webp, or the bytes are another of those than it says',
    ],
    [422, 'The body is empty, cannot be decoded, or is over 50 megapixels'],
    429,
    503,
  )
  // The raw body and its declared type: @Headers('content-type') would document Content-Type as a parameter.
  fingerprint(@Caller() caller: Actor, @Req() req: Request): Promise<FingerprintResponseDto> {
    return this.fingerprints.fingerprint(caller, req.body, req.headers['content-type']);
  }
}
