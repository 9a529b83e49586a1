import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

/** A refused connection is closed once the client has sent nothing for this long... */
const LINGER_IDLE_MS = 2_000;
/** ...or after this long in all, whatever the client still sends. */
const LINGER_MAX_MS = 30_000;

/**
 * Requests Node's HTTP parser refuses before Express sees them (a raw byte outside ASCII in
 * the request target, a malformed header, headers over the size limit) would get Node's
 * bare "400 Bad Request" with no body. Answer them as problem+json like every other error.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    // The parser stays failed and reports every later chunk of the client's body again: that is the drain.
    if (answered.has(socket)) return;
    if (!socket.writable) {
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
    answered.add(socket);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    closeOnceTheClientStops(socket as Socket);
  });
}

/**
 * The staged close of RFC 9112 section 9.6. Closing a socket with unread bytes of the client's
 * body sends a TCP reset, and a client still uploading (a 1 MB body behind a malformed path)
 * then gets EPIPE or ECONNRESET and drops our answer unread. So after the answer (and our FIN)
 * keep reading and discarding until the client closes, goes quiet, or LINGER_MAX_MS is up.
 */
function closeOnceTheClientStops(socket: Socket): void {
  const giveUpAt = Date.now() + LINGER_MAX_MS;
  let bytesSeen = socket.bytesRead;
  const check = () => {
    if (socket.destroyed) return;
    if (socket.bytesRead === bytesSeen || Date.now() >= giveUpAt) {
      socket.destroy();
      return;
    }
    bytesSeen = socket.bytesRead;
    wait();
  };
  // setImmediate: after a stalled event loop, judge only once the reads that piled up meanwhile are in.
  const wait = () => setTimeout(() => setImmediate(check), LINGER_IDLE_MS).unref();
  wait();
}
