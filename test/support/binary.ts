import type request from 'supertest';

/**
 * supertest's parser for a route that answers bytes (an evidence package) or, when it refuses, a JSON problem: the
 * body is the Buffer, or the problem parsed.
 */
export const bytesOrProblem: Parameters<request.Test['parse']>[0] = (res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    cb(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString()) : body);
  });
};
