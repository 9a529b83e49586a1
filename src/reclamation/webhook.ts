import { redactString } from '../logging/redact';
import { postPinned, type PinnedRequestOptions } from '../webhooks/pinned-request';
import { legacySignature, standardWebhookHeaders } from '../webhooks/standard-webhooks';
import { WebhookRefused, type WebhookTargets } from '../webhooks/webhook-targets';

export interface WebhookDelivery {
  readonly delivered: boolean;
  readonly status: number;
  readonly error?: string;
}

/** Kept beside the Standard Webhooks headers for receivers written before them. */
export const SIGNATURE_HEADER = 'X-LicenseLedger-Signature';

export interface WebhookSendOptions {
  readonly targets: WebhookTargets;
  readonly ca?: PinnedRequestOptions['ca'];
  readonly now: Date;
  readonly timeoutMs?: number;
}

/**
 * POSTs a notice, signed per Standard Webhooks (and with the older X-LicenseLedger-Signature).
 * The URL passes the SSRF guard again first, and the connection goes to the address that
 * guard checked. Delivery is at least once: the delivery id (`webhook-id`) is stable per
 * reclamation, so a receiver that sees it twice (a retry after a lost answer, or two
 * instances) can drop the repeat. Any 2xx is delivered; anything else is retried later.
 * Errors never carry the URL (it may hold a secret in its query).
 */
export async function sendWebhook(
  url: string,
  secret: string,
  deliveryId: string,
  payload: object,
  options: WebhookSendOptions,
): Promise<WebhookDelivery> {
  const body = JSON.stringify(payload);
  let target;
  try {
    target = await options.targets.check(url);
  } catch (error) {
    if (!(error instanceof WebhookRefused)) throw error;
    return { delivered: false, status: 0, error: `the webhook URL was refused: ${error.message}` };
  }
  try {
    const { status } = await postPinned(target, {
      body,
      timeoutMs: options.timeoutMs ?? 10_000,
      ca: options.ca,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'license-ledger',
        ...standardWebhookHeaders(secret, deliveryId, Math.floor(options.now.getTime() / 1000), body),
        'X-LicenseLedger-Delivery': deliveryId,
        'X-LicenseLedger-Event': 'reclamation.notice',
        [SIGNATURE_HEADER]: legacySignature(secret, body),
      },
    });
    const delivered = status >= 200 && status < 300;
    return delivered ? { delivered, status } : { delivered, status, error: `the webhook answered ${status}` };
  } catch (error) {
    const reason = redactString((error as Error).message).replaceAll(target.url.href, '(the webhook URL)');
    return { delivered: false, status: 0, error: `the webhook could not be reached: ${reason}` };
  }
}
