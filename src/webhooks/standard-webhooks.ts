import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 * A secret given as `whsec_<base64>` signs with the decoded bytes (the form the spec's
 * libraries generate), any other secret with its UTF-8 bytes.
 */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const signature = createHmac('sha256', signingKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}

export function signingKey(secret: string): Buffer {
  if (secret.startsWith('whsec_')) {
    const decoded = Buffer.from(secret.slice('whsec_'.length), 'base64');
    if (decoded.length > 0) return decoded;
  }
  return Buffer.from(secret, 'utf8');
}

/** Whether a secret in the whsec_ form decodes to bytes (a malformed one would sign with nothing). */
export const isUsableSecret = (secret: string): boolean =>
  !secret.startsWith('whsec_') || /^[A-Za-z0-9+/]{16,}={0,2}$/.test(secret.slice('whsec_'.length));

/**
 * The header receivers written before Standard Webhooks check: `sha256=<hex HMAC-SHA256 of the
 * body>` under the secret's UTF-8 bytes (as it always was, whsec_ prefix included).
 */
export const legacySignature = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
