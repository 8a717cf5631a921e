import { unsupportedMediaType } from './media-type.guard';

describe('unsupportedMediaType', () => {
  it.each([
    [['json'], 'text/plain', 'This route accepts a body as application/json, not text/plain'],
    [
      ['json', 'csv'],
      'application/xml; charset=utf-8',
      'This route accepts a body as application/json or text/csv, not application/xml',
    ],
    [
      ['form', 'json', 'csv'],
      'text/html',
      'This route accepts a body as application/x-www-form-urlencoded, application/json or text/csv, not text/html',
    ],
    [
      ['jpeg', 'png', 'webp'],
      'image/gif',
      'This route accepts a body as image/jpeg, image/png or image/webp, not image/gif',
    ],
    [['json'], undefined, 'This route accepts a body as application/json; say which in Content-Type'],
    [['json'], ' ', 'This route accepts a body as application/json; say which in Content-Type'],
  ] as const)('%j and %j', (accepted, contentType, detail) => {
    const error = unsupportedMediaType(accepted, contentType);
    expect([error.status, error.code, error.detail]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', detail]);
  });
});
