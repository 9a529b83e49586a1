import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SigningKey } from '../credentials/signing-keys';

/**
 * The capability a notified user presents to ask to keep a license without an API key:
 * `k1.<kid>.<expiry, Unix seconds in base 36>.<base64url HMAC-SHA256>` over the profile, the
 * reclamation and the expiry, under the service's own keep-link key (never the webhook
 * secret, which the receiver knows and could mint tokens with).
 */
const VERSION = 'k1';

export interface KeepTokenSubject {
  readonly profileId: string;
  readonly reclamationId: string;
}

export type KeepTokenCheck = 'valid' | 'expired' | 'invalid';

export function signKeepToken(key: SigningKey, subject: KeepTokenSubject, expiresAtSeconds: number): string {
  const exp = expiresAtSeconds.toString(36);
  return `${VERSION}.${key.kid}.${exp}.${mac(key, subject, exp)}`;
}

/** The key id a token names, or null when it is not shaped as a token (nothing is looked up for it). */
export function keepTokenKid(token: string): string | null {
  const parts = token.split('.');
  return parts.length === 4 && parts[0] === VERSION && /^[A-Za-z0-9_-]{1,16}$/.test(parts[1]!) ? parts[1]! : null;
}

export function checkKeepToken(
  token: string,
  subject: KeepTokenSubject,
  keyFor: (kid: string) => SigningKey | null,
  nowSeconds: number,
): KeepTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !/^[0-9a-z]{1,12}$/.test(parts[2]!)) return 'invalid';
  const [, kid, exp, given] = parts as [string, string, string, string];
  const key = keyFor(kid);
  if (!key) return 'invalid';
  const expected = Buffer.from(mac(key, subject, exp));
  const presented = Buffer.from(given);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return 'invalid';
  return parseInt(exp, 36) > nowSeconds ? 'valid' : 'expired';
}

const mac = (key: SigningKey, { profileId, reclamationId }: KeepTokenSubject, exp: string): string =>
  createHmac('sha256', key.secret)
    .update(`keep-link\n${VERSION}\n${key.kid}\n${profileId}\n${reclamationId}\n${exp}`)
    .digest('base64url');
