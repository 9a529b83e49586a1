/* eslint-disable @typescript-eslint/no-require-imports -- the OpenTelemetry SDK is loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set, so an untraced service never pays for it */
/**
 * OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: HTTP server spans
 * (named after the route template by httpMetrics) and outgoing HTTP spans (Entra, Graph,
 * Dataverse, webhooks), exported over OTLP/HTTP. The SDK is required lazily, so a service
 * without the variable loads none of it. The standard OTEL_* variables (service name,
 * headers, batch delays, sampling) apply as the SDK reads them.
 *
 * Must run before anything requires `http`/`https` (main.ts imports it first).
 */

/** Query parameters whose values never enter a span (keep links, OAuth codes, signed URLs). */
const SECRET_QUERY_PARAMS = [
  'sig',
  'Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'X-Goog-Signature',
  'AWSAccessKeyId',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'state',
  'key',
  'apikey',
  'api_key',
  'secret',
  'client_secret',
  'password',
];

const UNTRACED_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

export interface Tracing {
  shutdown(): Promise<void>;
}

let active: Tracing | null = null;

export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | null {
  if (active || !env.OTEL_EXPORTER_OTLP_ENDPOINT) return active;
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } =
    require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? 'license-ledger',
      [ATTR_SERVICE_VERSION]: serviceVersion(),
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
        redactedQueryParams: SECRET_QUERY_PARAMS,
        redactedQueryParamsServer: SECRET_QUERY_PARAMS,
      }),
    ],
  });
  active = {
    async shutdown() {
      unregister();
      await provider.shutdown();
      active = null;
    },
  };
  return active;
}

/** Flushes and stops tracing (on shutdown), if it runs. */
export async function stopTracing(): Promise<void> {
  await active?.shutdown();
}

/** package.json is two levels up from the sources and three from the build (dist/src/...). */
function serviceVersion(): string {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      return (require(path) as { version: string }).version;
    } catch {
      // not at this depth
    }
  }
  return 'unknown';
}
