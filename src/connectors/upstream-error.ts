import { redactString } from '../logging/redact';
import { DomainError } from '../shared/domain-error';

/** `discovery`: the Global Discovery Service and the Power Platform admin API. */
export type UpstreamService = 'entra' | 'graph' | 'dataverse' | 'discovery';

export type UpstreamCause =
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'throttled'
  | 'unavailable'
  | 'invalid-response'
  | 'network'
  | 'configuration'
  /** The service understood the request and refused it (400/409/422), e.g. a group-inherited license. */
  | 'rejected';

export interface UpstreamErrorInit {
  readonly service: UpstreamService;
  readonly cause: UpstreamCause;
  /** What went wrong and what to fix; never a secret, token or header. */
  readonly message: string;
  /** Microsoft's own code: `AADSTS7000215`, `Authorization_RequestDenied`, `0x80072322`... */
  readonly microsoftCode?: string | null;
  readonly status?: number | null;
  /** How many attempts were made before giving up (1 when the failure was not retried). */
  readonly attempts?: number;
}

/** Transient causes: a later run may well succeed, so the HTTP edge answers 503, not 502. */
const TRANSIENT: ReadonlySet<UpstreamCause> = new Set(['throttled', 'unavailable', 'network']);

/**
 * A failed call to Entra, Graph or Dataverse, typed by cause so callers can decide (retry
 * later, ask the admin to fix a permission, mark a profile invalid) without parsing text.
 * `code` is `<service>-<cause>`, e.g. `graph-permission`.
 */
export class UpstreamError extends DomainError {
  readonly service: UpstreamService;
  /** Shadows ES2022 `Error.cause` (an underlying error) with our classification, as the API names it. */
  override readonly cause: UpstreamCause;
  readonly microsoftCode: string | null;
  readonly status: number | null;
  readonly attempts: number;

  constructor(init: UpstreamErrorInit) {
    // Upstream descriptions are echoed into messages; scrub anything token-shaped in case one carries it.
    super(
      TRANSIENT.has(init.cause) ? 'unavailable' : 'upstream',
      `${init.service}-${init.cause}`,
      redactString(init.message),
    );
    this.service = init.service;
    this.cause = init.cause;
    this.microsoftCode = init.microsoftCode ?? null;
    this.status = init.status ?? null;
    this.attempts = init.attempts ?? 1;
  }

  get transient(): boolean {
    return TRANSIENT.has(this.cause);
  }

  withAttempts(attempts: number): UpstreamError {
    return new UpstreamError({ ...this.init(), attempts });
  }

  private init(): UpstreamErrorInit {
    return {
      service: this.service,
      cause: this.cause,
      message: this.message,
      microsoftCode: this.microsoftCode,
      status: this.status,
    };
  }
}

export const SERVICE_NAME: Record<UpstreamService, string> = {
  entra: 'Entra',
  graph: 'Graph',
  dataverse: 'Dataverse',
  discovery: 'Environment discovery',
};

/** Long upstream texts (stack-like descriptions, HTML error pages) are cut to keep messages readable. */
export function shorten(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
