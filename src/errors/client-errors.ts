import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_BASE, ProblemDocument } from './problem-details.filter';

/** Node's HTTP parser codes for requests it refuses before any middleware runs, and what the client is told. */
const REFUSALS: Record<string, { status: number; slug: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    slug: 'request-header-fields-too-large',
    detail:
      'The request line and headers exceed the server limit (16 KB); send long filters in a body or shorten them',
  },
};
const MALFORMED = {
  status: 400,
  slug: 'malformed-request',
  detail: 'The request is not well-formed HTTP/1.1',
};

/**
 * Requests the parser cannot read (an over-long URL or header block, broken framing) never reach Express; Node
 * would answer them with a bare status line. They get the same problem document as everything else instead.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
    const requestId = randomUUID();
    const problem: ProblemDocument = {
      type: PROBLEM_BASE + refusal.slug,
      title: STATUS_CODES[refusal.status] ?? 'Bad Request',
      status: refusal.status,
      detail: refusal.detail,
      instance: `urn:uuid:${requestId}`,
      requestId,
    };
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${refusal.status} ${problem.title}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
