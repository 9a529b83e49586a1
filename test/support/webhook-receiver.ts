import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedNotice {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly raw: string;
  readonly body: Record<string, any>;
  /** Both signatures check out: Standard Webhooks and the older X-LicenseLedger-Signature. */
  readonly signatureValid: boolean;
  /** Verified by the Standard Webhooks reference library (`standardwebhooks` on npm). */
  readonly standardSignatureValid: boolean;
  readonly legacySignatureValid: boolean;
}

/**
 * A customer's webhook endpoint: records every notice and checks its signatures, the
 * Standard Webhooks one with the specification's own library. A `whsec_` secret is the
 * library's form (base64 key); any other secret signs with its UTF-8 bytes (API.md).
 */
export async function startWebhookReceiver(
  secret: string,
  status = 204,
  host = '127.0.0.1',
): Promise<{
  url: string;
  notices: ReceivedNotice[];
  /** Every request's method and target (path and query), as the receiver saw it. */
  requests: { method: string; url: string }[];
  setStatus(s: number): void;
  close(): Promise<void>;
}> {
  const notices: ReceivedNotice[] = [];
  const requests: { method: string; url: string }[] = [];
  const verifier = secret.startsWith('whsec_')
    ? new Webhook(secret)
    : new Webhook(new Uint8Array(Buffer.from(secret, 'utf8')), { format: 'raw' });
  let answer = status;
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const legacy = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      let standard = true;
      try {
        verifier.verify(raw, req.headers as Record<string, string>);
      } catch {
        standard = false;
      }
      const legacyValid = req.headers['x-licenseledger-signature'] === legacy;
      notices.push({
        headers: req.headers,
        raw,
        body: JSON.parse(raw),
        signatureValid: standard && legacyValid,
        standardSignatureValid: standard,
        legacySignatureValid: legacyValid,
      });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/hooks/license-ledger`,
    notices,
    requests,
    setStatus: (s) => (answer = s),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
