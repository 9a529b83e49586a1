import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface ReceivedNotice {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly raw: string;
  readonly body: Record<string, any>;
  readonly signatureValid: boolean;
}

/** A customer's webhook endpoint: records every notice and checks its HMAC-SHA256 signature. */
export async function startWebhookReceiver(
  secret: string,
  status = 204,
): Promise<{ url: string; notices: ReceivedNotice[]; setStatus(s: number): void; close(): Promise<void> }> {
  const notices: ReceivedNotice[] = [];
  let answer = status;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      notices.push({
        headers: req.headers,
        raw,
        body: JSON.parse(raw),
        signatureValid: req.headers['x-licenseledger-signature'] === expected,
      });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/license-ledger`,
    notices,
    setStatus: (s) => (answer = s),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
