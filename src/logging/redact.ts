/**
 * Secrets never reach a log line. Values under secret-sounding keys are replaced, and
 * strings are scrubbed of bearer tokens, client_secret/refresh_token form fields, JWT-shaped
 * strings and the secret parts of URLs (user-info, and query values such as sig=, token=,
 * key=), whatever key they sit under. Errors keep their stack and cause chain, scrubbed too.
 */
const SECRET_KEY =
  /secret|password|passwd|token|authorization|apikey|api_key|credential|cookie|^key$|signature|assertion|code_verifier/i;
const SAFE_KEY = /^(credentialRef|hasClientSecret|tokenType|secretRef|keyId|tokenEndpoint)$/;

/** Query parameters whose values are credentials in the URLs people paste (signed links, API keys, OAuth codes). */
const SECRET_PARAM =
  /^(sig|signature|x-amz-signature|x-goog-signature|token|access_token|refresh_token|id_token|code|key|apikey|api_key|api-key|secret|client_secret|password|pass|pwd|auth|authorization|credential|session|sessionid|sv)$/i;

export const REDACTED = '[redacted]';

/** Any scheme: an EventStoreDB connection string (esdb://user:password@host) is a URL too. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

const PATTERNS: readonly [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  [
    /((?:client_secret|refresh_token|access_token|id_token|code|code_verifier|client_assertion)=)[^&\s"]+/gi,
    '$1[redacted]',
  ],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

/**
 * A URL fit to show: user-info and the values of secret-sounding query parameters are
 * replaced (the names stay, so a reader still sees which link it was). Not for calling.
 */
export function redactUrl(raw: string): string {
  const query = raw.indexOf('?');
  const hash = raw.indexOf('#', query < 0 ? 0 : query);
  const end = hash < 0 ? raw.length : hash;
  let head = query < 0 ? raw.slice(0, end) : raw.slice(0, query);
  head = head.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  if (query < 0) return head + raw.slice(end);
  const params = raw
    .slice(query + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as written
      }
      return SECRET_PARAM.test(name.trim()) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${head}?${params.join('&')}${raw.slice(end)}`;
}

/** Whether a URL carries anything redactUrl would hide. */
export const urlHasSecrets = (raw: string): boolean => redactUrl(raw) !== raw;

export function redactString(value: string): string {
  let out = value.replace(URL_IN_TEXT, redactUrl);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_CAUSES = 5;

/** An error as a log field: name, message, code, stack and the cause chain, each scrubbed. */
function redactError(error: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactString(error.message) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.stack) out.stack = redactString(error.stack);
  if (error instanceof AggregateError) out.errors = error.errors.slice(0, MAX_CAUSES).map((e) => redact(e, depth + 1));
  // The chain, walked with a counter rather than by recursion: a cycle of causes ends here too.
  let cursor: unknown = error.cause;
  let at = out;
  for (let i = 0; cursor !== undefined && i < MAX_CAUSES; i++) {
    const next: Record<string, unknown> =
      cursor instanceof Error
        ? { name: cursor.name, message: redactString(cursor.message), stack: redactString(cursor.stack ?? '') }
        : { value: redact(cursor, depth + 1) };
    at.cause = next;
    at = next;
    cursor = cursor instanceof Error ? cursor.cause : undefined;
  }
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return redactError(value, depth);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEY.test(k) && !SAFE_KEY.test(k) && v !== null && typeof v !== 'boolean'
          ? REDACTED
          : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
