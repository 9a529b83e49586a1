import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

/**
 * Requests Node's HTTP parser refuses before Express sees them (a raw byte outside ASCII in
 * the request target, a malformed header, headers over the size limit) would get Node's
 * bare "400 Bad Request" with no body. Answer them as problem+json like every other error.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, detail] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            'headers-too-large',
            'the request headers are larger than the server accepts',
          ]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'request-timeout', 'the request did not arrive in time']
          : [
              400,
              'Bad Request',
              'malformed-request',
              'the request is not valid HTTP (for example a raw non-ASCII byte in the path: percent-encode it)',
            ];
    const body = JSON.stringify(problem(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
