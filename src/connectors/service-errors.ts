import { UpstreamError, shorten, SERVICE_NAME, type UpstreamCause } from './upstream-error';

export type ApiService = 'graph' | 'dataverse' | 'discovery';

/** What a request is for, so a refusal can say what to grant instead of only "403". */
export interface RequestPurpose {
  /** e.g. `list users`, `read the audit log`. */
  readonly action: string;
  /** The fix for a 403, e.g. `grant the application permission User.Read.All and admin consent`. */
  readonly permissionFix: string;
}

export interface MicrosoftErrorBody {
  readonly code: string | null;
  readonly message: string | null;
}

/** Graph and Dataverse share OData's error shape: `{"error":{"code","message",...}}`. */
export function parseErrorBody(text: string): MicrosoftErrorBody {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' && parsed.error.code !== '' ? parsed.error.code : null;
    const message =
      typeof parsed.error?.message === 'string' && parsed.error.message !== '' ? parsed.error.message : null;
    return { code, message };
  } catch {
    return { code: null, message: null };
  }
}

/** Statuses that are worth another attempt after a wait. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Maps a non-2xx answer from Graph or Dataverse to a typed failure with a fix-it message. */
export function failureFromResponse(
  service: ApiService,
  status: number,
  text: string,
  purpose: RequestPurpose,
): UpstreamError {
  const body = parseErrorBody(text);
  const name = SERVICE_NAME[service];
  const said = body.message ? ` ${name} said: ${shorten(body.message)}` : '';
  const code = body.code ? ` (${body.code})` : '';
  const make = (cause: UpstreamCause, message: string) =>
    new UpstreamError({ service, cause, message, microsoftCode: body.code, status });

  if (status === 401) {
    return make(
      'authentication',
      `${name} rejected the access token${code} even after a fresh one was issued, while trying to ${purpose.action}: check that the profile's tenant id is the tenant that owns the ${service === 'graph' ? 'directory' : 'environment'}.${said}`,
    );
  }
  if (status === 403) {
    if (
      service === 'dataverse' &&
      /not a member of the organization|no application user|user is disabled/i.test(body.message ?? '')
    ) {
      return make(
        'permission',
        `Dataverse does not know this app${code}: add it as an application user in the environment (Power Platform admin center > Environment > Settings > Users + permissions > Application users) and give it a security role with prvReadAuditSummary.${said}`,
      );
    }
    // Dataverse names the privilege it checked ("is missing prvReadAuditSummary privilege"): say that one.
    const privilege = /missing (prv\w+) privilege/i.exec(body.message ?? '')?.[1];
    const fix =
      service === 'dataverse' && privilege && !purpose.permissionFix.includes(privilege)
        ? `the caller lacks ${privilege}; give its security role that privilege`
        : purpose.permissionFix;
    return make('permission', `${name} denied access${code} to ${purpose.action}: ${fix}.${said}`);
  }
  if (status === 404) return make('not-found', `${name} found nothing to ${purpose.action}${code}.${said}`);
  if (status === 429) {
    return make(
      'throttled',
      `${name} kept throttling requests${code} to ${purpose.action}; the next run continues where this one stopped, or lower the request rate if it persists.${said}`,
    );
  }
  if (status >= 500) {
    return make(
      'unavailable',
      `${name} was unavailable (HTTP ${status}${body.code ? `, ${body.code}` : ''}) while trying to ${purpose.action}; try again later.${said}`,
    );
  }
  if (status >= 300 && status < 400) {
    return make(
      'invalid-response',
      `${name} answered a request to ${purpose.action} with a redirect (HTTP ${status}); check the ${name} URL in the profile.`,
    );
  }
  return make(
    'rejected',
    `${name} refused the request to ${purpose.action} (HTTP ${status}${body.code ? `, ${body.code}` : ''}).${said}`,
  );
}

export function invalidBody(
  service: ApiService,
  purpose: RequestPurpose,
  detail: string,
  status: number,
): UpstreamError {
  return new UpstreamError({
    service,
    cause: 'invalid-response',
    message: `${SERVICE_NAME[service]} sent a response that is not valid JSON while trying to ${purpose.action} (${detail})`,
    status,
  });
}
