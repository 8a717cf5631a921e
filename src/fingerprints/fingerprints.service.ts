import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import phash from 'sharp-phash';
import type { Actor } from '../auth/actor';
import { TransactionService } from '../database/transaction.service';
import { AppError } from '../errors/app-error';
import { phashBitsToHex } from '../matching/image-hash';
import { FingerprintResponseDto } from './dto/fingerprint-response.dto';
import { declaredImageType, MAX_IMAGE_PIXELS, sniffImageType } from './image-format';
import { ImageHashing } from './image-hashing';

const DECODE = { limitInputPixels: MAX_IMAGE_PIXELS };

const undecodable = (why: string) =>
  AppError.unprocessable('IMAGE_UNDECODABLE', `The body could not be decoded as an image: ${why}`);

/**
 * The body as an image of the type it declares. The format is read from the bytes, not believed from Content-Type,
 * so only the JPEG, PNG and WebP decoders are ever reached; bytes of another of the three than declared are a 415
 * (the client labels its uploads wrongly and should be told), bytes of none of them a 422.
 */
function readImage(body: unknown, contentType: string | undefined): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw undecodable('the body is empty; send the image bytes as they are');
  const actual = sniffImageType(body);
  if (actual === null) throw undecodable('its bytes are not a JPEG, PNG or WebP file');
  const declared = declaredImageType(contentType);
  if (actual !== declared)
    throw new AppError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported media type',
      `The body is ${actual}, but Content-Type says ${declared}; send the type the bytes are`,
    );
  return body;
}

/** The header first (no pixels decoded), so an image over the limit is refused with its size before any work. */
async function phashOf(image: Buffer): Promise<string> {
  // metadata() reads the header only; with the pixel limit on it would refuse without saying the size.
  const meta = await sharp(image, { limitInputPixels: false })
    .metadata()
    .catch((e: Error) => {
      throw undecodable(e.message);
    });
  if (!meta.width || !meta.height) throw undecodable('it has no width or height');
  if (meta.width * meta.height > MAX_IMAGE_PIXELS)
    throw AppError.unprocessable(
      'IMAGE_TOO_LARGE',
      `The image is ${meta.width} × ${meta.height} pixels; at most ${MAX_IMAGE_PIXELS.toLocaleString('en')} are hashed`,
    );
  const bits = await phash(image, DECODE).catch((e: Error) => {
    throw undecodable(e.message);
  });
  return phashBitsToHex(bits);
}

@Injectable()
export class FingerprintsService {
  constructor(
    private readonly hashing: ImageHashing,
    private readonly tx: TransactionService,
  ) {}

  /** Nothing changes, so nothing is audited; the answer goes through tx.answer only so an Idempotency-Key replays it. */
  async fingerprint(
    _caller: Actor,
    body: unknown,
    contentType: string | undefined,
  ): Promise<FingerprintResponseDto> {
    const image = readImage(body, contentType);
    const hash = await this.hashing.run(() => phashOf(image));
    const answer: FingerprintResponseDto = { imageHashes: [{ algorithm: 'phash', hash }] };
    return this.tx.answer(() => Promise.resolve(answer));
  }
}
