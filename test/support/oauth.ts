import type { Response } from 'supertest';

/** RFC 6749 §2.3.1 client authentication: each part form-urlencoded, then base64 of "id:secret". */
export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Every answer of the token endpoint is kept out of caches (RFC 6749 §5.1, §5.2). */
export function expectNoStore(res: Response): void {
  expect({ cacheControl: res.headers['cache-control'], pragma: res.headers.pragma }).toEqual({
    cacheControl: 'no-store',
    pragma: 'no-cache',
  });
}

/** An RFC 6749 §5.2 error as application/json, with the problem-details members beside `error`. */
export function expectOAuthError(res: Response, status: number, error: string): Record<string, unknown> {
  expect({
    status: res.status,
    type: res.headers['content-type'],
    error: (res.body as { error?: string })?.error,
  }).toEqual({
    status,
    type: expect.stringMatching(/^application\/json\b/),
    error,
  });
  expect(res.body).toEqual(
    expect.objectContaining({
      error_description: expect.stringMatching(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/),
      requestId: res.headers['x-request-id'],
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expectNoStore(res);
  return res.body as Record<string, unknown>;
}
