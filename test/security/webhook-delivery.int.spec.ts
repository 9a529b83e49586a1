import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer, type Server } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { sendWebhook } from '../../src/reclamation/webhook';
import { postPinned } from '../../src/webhooks/pinned-request';
import { WebhookTargets, type ResolvedAddress } from '../../src/webhooks/webhook-targets';

/** A customer's HTTPS endpoint for a name no DNS knows, with a certificate for that name only. */
const NAME = 'hooks.contoso.test';

interface Seen {
  host: string | undefined;
  servername: string | false | null | undefined;
  path: string | undefined;
}

async function certificateFor(name: string) {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: name }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

const listen = (server: Server | HttpsServer) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

describe('webhook deliveries connect to the address that was checked', () => {
  let server: HttpsServer;
  let port: number;
  let cert: string;
  const seen: Seen[] = [];
  beforeAll(async () => {
    const pems = await certificateFor(NAME);
    cert = pems.cert;
    server = createHttpsServer(pems, (req, res) => {
      seen.push({ host: req.headers.host, servername: (req.socket as TLSSocket).servername, path: req.url });
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    port = await listen(server);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('goes to the pinned address with the URL host as Host and TLS server name, verifying the certificate for it', async () => {
    const url = new URL(`https://${NAME}:${port}/hooks/ledger?sig=abc`);
    const answer = await postPinned(
      { url, host: NAME, pinned: { address: '127.0.0.1', family: 4 } },
      { body: '{}', headers: {}, timeoutMs: 5_000, ca: cert },
    );
    expect(answer.status).toBe(204);
    expect(seen.at(-1)).toEqual({ host: `${NAME}:${port}`, servername: NAME, path: '/hooks/ledger?sig=abc' });
  });

  it('does not trust a certificate it was not given: verification stays on', async () => {
    const url = new URL(`https://${NAME}:${port}/hooks/ledger`);
    await expect(
      postPinned(
        { url, host: NAME, pinned: { address: '127.0.0.1', family: 4 } },
        { body: '{}', headers: {}, timeoutMs: 5_000 },
      ),
    ).rejects.toThrow(/certificate/);
  });

  it('asks DNS once per check and hands the address it checked to the connection (see above: DNS is not asked again)', async () => {
    let asked = 0;
    const resolve = async (): Promise<ResolvedAddress[]> => [
      { address: asked++ === 0 ? '93.184.215.14' : '10.0.0.1', family: 4 },
    ];
    const target = await new WebhookTargets([], resolve).check(`https://${NAME}:${port}/x`);
    expect(asked).toBe(1);
    expect(target.pinned).toEqual({ address: '93.184.215.14', family: 4 });
  });

  it('never follows a redirect: a 3xx is the answer', async () => {
    let redirectedTo = 0;
    const elsewhere = createServer((_, res) => {
      redirectedTo++;
      res.end();
    });
    const elsewherePort = await listen(elsewhere);
    const redirecting = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { Location: `http://127.0.0.1:${elsewherePort}/inside` }).end();
    });
    const redirectingPort = await listen(redirecting);
    try {
      const delivery = await sendWebhook(
        `http://127.0.0.1:${redirectingPort}/hook`,
        'whsec-0123456789abcdef',
        'd-1',
        {},
        {
          targets: new WebhookTargets(['127.0.0.1']),
          now: new Date(),
        },
      );
      expect(delivery).toEqual({ delivered: false, status: 307, error: 'the webhook answered 307' });
      expect(redirectedTo).toBe(0);
    } finally {
      redirecting.close();
      elsewhere.close();
    }
  });

  it('checks the URL again at delivery: a host that now resolves inside is not called, and the error names no secret', async () => {
    const dns = { answer: '93.184.215.14' };
    const targets = new WebhookTargets([], async () => [{ address: dns.answer, family: 4 }]);
    await expect(targets.check('https://hooks.contoso.com/x?sig=s3cr3t')).resolves.toBeDefined(); // on save
    dns.answer = '10.20.30.40';
    const delivery = await sendWebhook(
      'https://hooks.contoso.com/x?sig=s3cr3t',
      'whsec-0123456789abcdef',
      'd-2',
      {},
      {
        targets,
        now: new Date(),
      },
    );
    expect(delivery).toEqual({
      delivered: false,
      status: 0,
      error: 'the webhook URL was refused: its host resolves to a private address (10.20.30.40)',
    });
  });
});
