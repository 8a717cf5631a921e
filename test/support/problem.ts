import type { Response } from 'supertest';

/** Asserts an RFC 9457 problem document of the given status and returns its body. */
export function expectProblem(res: Response, status: number): Record<string, unknown> {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  const body = res.body as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      instance: expect.any(String),
      requestId: expect.any(String),
    }),
  );
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+|QueryFailedError|SELECT |INSERT |TypeError/);
  return body;
}
