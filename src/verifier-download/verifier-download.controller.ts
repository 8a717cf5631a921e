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
    summary: 'Download the standalone evidence verifier',
    description:
      'One CommonJS file that needs only Node 20+: run `node verify-evidence.cjs evidence.zip --key audit-keys.json`. Its SHA-256 is at GET /verify-evidence.cjs.sha256; every caller gets the same bytes.',
  })
  @ApiProduces('application/javascript')
  @ApiOkResponse({
    description: 'The verifier script (`application/javascript; charset=utf-8`), as an attachment',
    schema: { type: 'string', format: 'binary' },
    headers: {
      'Content-Disposition': {
        description: 'Always `attachment; filename="verify-evidence.cjs"`',
        schema: { type: 'string', example: `attachment; filename="${VERIFIER_FILE_NAME}"` },
      },
    },
  })
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
  @ApiOperation({
    summary: "The verifier's SHA-256 checksum",
    description:
      'One line in the format `sha256sum -c` reads: 64 lower-case hex digits, two spaces, the file name.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The checksum line (`text/plain; charset=utf-8`)',
    schema: {
      type: 'string',
      pattern: `^[0-9a-f]{64}  ${VERIFIER_FILE_NAME.replace(/\./g, '\\.')}\\n$`,
      example: `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  ${VERIFIER_FILE_NAME}\n`,
    },
  })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async checksum(): Promise<string> {
    return `${(await verifierBundle()).sha256}  ${VERIFIER_FILE_NAME}\n`;
  }
}
