import { createHmac, sign as rsaSign, timingSafeEqual, type KeyObject } from 'node:crypto';

/** JWT claims as the sandbox issues them; values are JSON scalars or string lists. */
export type JwtClaims = Record<string, string | number | boolean | readonly string[] | undefined>;

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function signHs256(claims: JwtClaims, key: Buffer): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** RS256 with a `kid` the JWKS endpoint publishes, so clients can verify id tokens as they would Entra's. */
export function signRs256(claims: JwtClaims, privateKey: KeyObject, kid: string): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = rsaSign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'malformed' | 'signature' };

export function verifyHs256(token: string, key: Buffer): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  let claims: unknown;
  try {
    const decodedHeader: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (!isRecord(decodedHeader) || decodedHeader['alg'] !== 'HS256') return { ok: false, reason: 'signature' };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isRecord(claims)) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const actual = Buffer.from(signature, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return { ok: false, reason: 'signature' };
  return { ok: true, claims };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
