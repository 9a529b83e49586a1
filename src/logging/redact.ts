/**
 * Secrets never reach a log line. Values under secret-sounding keys are replaced, and
 * strings are scrubbed of bearer tokens, client_secret/refresh_token form fields and
 * JWT-shaped strings, whatever key they sit under.
 */
const SECRET_KEY =
  /secret|password|passwd|token|authorization|apikey|api_key|credential|cookie|^key$|signature|assertion|code_verifier/i;
const SAFE_KEY = /^(credentialRef|hasClientSecret|tokenType|secretRef|keyId|tokenEndpoint)$/;

const PATTERNS: readonly [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  [
    /((?:client_secret|refresh_token|access_token|id_token|code|code_verifier|client_assertion)=)[^&\s"]+/gi,
    '$1[redacted]',
  ],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEY.test(k) && !SAFE_KEY.test(k) && v !== null && typeof v !== 'boolean'
          ? '[redacted]'
          : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
