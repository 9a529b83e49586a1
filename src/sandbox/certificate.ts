import { generate } from 'selfsigned';

export interface SandboxCertificate {
  readonly key: string;
  readonly cert: string;
}

/**
 * A fresh self-signed certificate per start, valid for `127.0.0.1` and `localhost`. Clients trust it
 * as its own CA (`NODE_EXTRA_CA_CERTS`, or `ca` on an agent); MSAL refuses http:// authorities.
 */
export async function createCertificate(): Promise<SandboxCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'License Ledger sandbox' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
