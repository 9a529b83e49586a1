import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { createTrustedAgent, IDLE_SOCKET_MS, trustedCaList } from '../../src/connectors/tls-trust';
import { createCertificate } from '../../src/sandbox/certificate';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n';

describe('TLS trust', () => {
  it("leaves Node's default store alone when nothing extra is trusted", () => {
    expect(trustedCaList({ extraCaPems: [] })).toBeUndefined();
    expect(createTrustedAgent().options.ca).toBeUndefined();
  });

  it("adds extra PEMs to Node's roots instead of replacing them", () => {
    const list = trustedCaList({ extraCaPems: [PEM], env: {} })!;
    expect(list.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(list[list.length - 1]).toBe(PEM);
  });

  it('keeps NODE_EXTRA_CA_CERTS, which an explicit CA list would otherwise drop', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-')), 'extra.pem');
    writeFileSync(file, 'EXTRA-PEM');
    const list = trustedCaList({ extraCaPems: [PEM], env: { NODE_EXTRA_CA_CERTS: file } })!;
    expect(list).toContain('EXTRA-PEM');
    expect(trustedCaList({ extraCaPems: [PEM], env: { NODE_EXTRA_CA_CERTS: join(file, 'missing') } })).toHaveLength(
      rootCertificates.length + 1,
    );
  });

  it('keeps connections alive', () => {
    const agent = createTrustedAgent({ extraCaPems: [PEM] });
    expect((agent as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    agent.destroy();
  });

  it("drops an idle connection before the server does, as the server's Keep-Alive hint says", async () => {
    const tls = await createCertificate();
    // Node's server closes an idle connection after keepAliveTimeout and says so: Keep-Alive: timeout=2.
    const server = createServer(tls, (_req, res) => res.end('ok'));
    server.keepAliveTimeout = 2_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = createTrustedAgent({ extraCaPems: [tls.cert] });
    try {
      const { port } = server.address() as AddressInfo;
      const answered = await new Promise<string | undefined>((resolve, reject) =>
        get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers['keep-alive'] as string | undefined));
        }).on('error', reject),
      );
      expect(answered).toBe('timeout=2');
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      // A second before the server would close it, the agent has: no request can go out on it as it closes.
      await sleep(1_500);
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(0);
      expect(IDLE_SOCKET_MS).toBeGreaterThan(30_000); // longer than a request's own timeout
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
