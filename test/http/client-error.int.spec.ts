import { connect } from 'node:net';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

const BODY_BYTES = 1_200_000;
const FIRST_PART = 65_536;

interface Outcome {
  /** The socket error the client saw, if any (EPIPE or ECONNRESET when the server resets). */
  readonly error: string | null;
  readonly answer: string;
}

/**
 * Sends `head` announcing a 1.2 MB body and its first 64 KiB, waits for the server's answer,
 * then sends the rest as a client that has not looked at its socket yet would, and ends.
 * Resolves once the connection is closed.
 */
function uploadPastTheAnswer(url: string, head: string): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    let answer = '';
    let error: string | null = null;
    let restSent = false;
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (restSent || !answer.includes('\r\n\r\n')) return;
      restSent = true;
      socket.write(Buffer.alloc(BODY_BYTES - FIRST_PART, 0x20), (e) => (e ? undefined : socket.end()));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ error, answer }));
    socket.write(Buffer.from(head, 'latin1'));
    socket.write(Buffer.alloc(FIRST_PART, 0x20));
  });
}

function statusAndBody(answer: string): { status: number; contentType: string; type: unknown } {
  const [head, body] = answer.split('\r\n\r\n');
  return {
    status: Number(head!.split(' ')[1]),
    contentType: /content-type: ([^\r]*)/i.exec(head!)?.[1] ?? '',
    type: JSON.parse(body!).type,
  };
}

/**
 * Requests Node's parser refuses are answered before their body is read. Closing then, with the
 * client's bytes unread, resets the connection, and a client still uploading gets EPIPE or
 * ECONNRESET instead of the answer (the fuzz test's "no answer: write EPIPE" on a 1.2 MB body
 * behind a raw non-ASCII path). The server must read and drop the rest and close cleanly.
 */
describe('requests the HTTP parser refuses, while the client is still sending the body', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    [
      'a raw non-ASCII byte in the path',
      `POST /api/v1/profiles/\u00e9 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`,
      400,
      'malformed-request',
    ],
    [
      'headers over the size limit',
      `POST /api/v1/profiles HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`,
      431,
      'headers-too-large',
    ],
  ])('%s: the answer arrives and the connection closes without a reset', async (_, head, status, code) => {
    const outcome = await uploadPastTheAnswer(t.url, head);
    expect(outcome.error).toBeNull();
    expect(statusAndBody(outcome.answer)).toEqual({
      status,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: `urn:license-ledger:problem:${code}`,
    });
  });
});

/**
 * Sends `head` (which asks for Connection: close) announcing a 1.2 MB body and its first 64 KiB,
 * pauses, then sends the rest and ends; resolves with what came back once the connection closes.
 */
function uploadWithAPause(url: string, head: string): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    let answer = '';
    let error: string | null = null;
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ error, answer }));
    socket.write(Buffer.from(head, 'latin1'));
    socket.write(Buffer.alloc(FIRST_PART, 0x20));
    // Long enough for a server that answers at once to have answered and closed; the rest then
    // meets a closed socket (EPIPE or ECONNRESET) unless the server is still reading it.
    setTimeout(() => {
      if (!socket.destroyed)
        socket.write(Buffer.alloc(BODY_BYTES - FIRST_PART, 0x20), (e) => (e ? undefined : socket.end()));
    }, 300);
  });
}

/**
 * A body refused for what it is (too large, not JSON) on a connection the client asked to
 * close (Node's http client without keep-alive asks so): the server reads and drops the rest
 * before it answers, so the client gets the answer, not a reset (the fuzz test's "write EPIPE"
 * on the keep link under load).
 */
describe('a refused body on a Connection: close request, while the client is still sending it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const head = (path: string, type: string, key?: string) =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: ${type}\r\n` +
    `${key ? `Authorization: Bearer ${key}\r\n` : ''}Content-Length: ${BODY_BYTES}\r\n\r\n`;

  it.each([
    ['JSON over the 4 KiB limit, no key (the sign-in link)', head('/api/v1/sessions', 'application/json'), 413],
    ['JSON over the 1 MiB limit, an admin key', head('/api/v1/profiles', 'application/json', KEYS.admin), 413],
    ['a body that is not JSON, an admin key', head('/api/v1/profiles', 'text/plain', KEYS.admin), 400],
  ])('%s: the answer arrives and the connection closes without a reset', async (_, request, status) => {
    const outcome = await uploadWithAPause(t.url, request);
    expect(outcome.error).toBeNull();
    expect(statusAndBody(outcome.answer)).toMatchObject({
      status,
      contentType: expect.stringMatching(/^application\/problem\+json/),
    });
  });
});
