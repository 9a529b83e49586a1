import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { createTrustedAgent, trustedCaList } from '../../src/connectors/tls-trust';

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
});
