import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { VERIFIER_FILE_NAME, verifierBundle } from './verifier-bundle';

/** The standalone evidence verifier and its checksum, for anyone holding a package: no account needed. */
@ApiTags('Evidence verifier')
@Controller()
export class VerifierDownloadController {
  @Get(VERIFIER_FILE_NAME)
  @Public()
  @ApiOperation({
    summary:
      'The standalone evidence verifier: one file, run with `node verify-evidence.cjs evidence.zip --key audit-keys.json`',
  })
  @ApiProduces('application/javascript')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async script(): Promise<StreamableFile> {
    const { bytes } = await verifierBundle();
    return new StreamableFile(bytes, {
      type: 'application/javascript; charset=utf-8',
      disposition: `attachment; filename="${VERIFIER_FILE_NAME}"`,
      length: bytes.length,
    });
  }

  @Get(`${VERIFIER_FILE_NAME}.sha256`)
  @Public()
  @ApiOperation({ summary: 'SHA-256 of the verifier, in the format `sha256sum -c` reads' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string', example: `<64 hex digits>  ${VERIFIER_FILE_NAME}\n` } })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async checksum(): Promise<string> {
    return `${(await verifierBundle()).sha256}  ${VERIFIER_FILE_NAME}\n`;
  }
}
