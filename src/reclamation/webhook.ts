import axios from 'axios';
import { createHmac } from 'node:crypto';
import type { Agent } from 'node:https';

export interface WebhookDelivery {
  readonly delivered: boolean;
  readonly status: number;
  readonly error?: string;
}

export const SIGNATURE_HEADER = 'X-LicenseLedger-Signature';

/** `sha256=<hex>`: HMAC-SHA256 of the exact request body under the profile's webhook secret. */
export const signatureOf = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** The capability a notified user presents to ask to keep the license, without an API key. */
export const keepTokenOf = (secret: string, reclamationId: string): string =>
  createHmac('sha256', secret).update(`keep:${reclamationId}`).digest('base64url');

/**
 * POSTs a notice. Delivery is at least once: the delivery id is stable per reclamation, so
 * a receiver that sees it twice (a retry after a lost answer, or two instances) can drop
 * the repeat. Any 2xx is delivered; anything else is retried later by the workflow.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  deliveryId: string,
  payload: object,
  agent: Agent,
): Promise<WebhookDelivery> {
  const body = JSON.stringify(payload);
  try {
    const response = await axios.post(url, body, {
      httpsAgent: agent,
      timeout: 10_000,
      maxRedirects: 0,
      proxy: false,
      validateStatus: () => true,
      responseType: 'text',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'license-ledger',
        'X-LicenseLedger-Delivery': deliveryId,
        'X-LicenseLedger-Event': 'reclamation.notice',
        [SIGNATURE_HEADER]: signatureOf(secret, body),
      },
    });
    const delivered = response.status >= 200 && response.status < 300;
    return delivered
      ? { delivered, status: response.status }
      : { delivered, status: response.status, error: `the webhook answered ${response.status}` };
  } catch (error) {
    return { delivered: false, status: 0, error: `the webhook could not be reached: ${(error as Error).message}` };
  }
}
