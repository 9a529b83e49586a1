import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { killAllServices, startService, waitFor, type ServiceProcess } from './support/service-process';

interface Span {
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, string | number | boolean>;
}

const SERVER = 2;
const CLIENT = 3;

/** A local OTLP/HTTP collector: what the service exports arrives here as OTLP JSON. */
async function startCollector(): Promise<{ url: string; spans: Span[]; raw: string[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const raw: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        raw.push(body);
        const payload = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: { name: string; kind: number; attributes?: any[] }[] }[] }[];
        };
        for (const rs of payload.resourceSpans)
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans)
              spans.push({
                name: s.name,
                kind: s.kind,
                attributes: Object.fromEntries(
                  (s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [
                    a.key,
                    Object.values(a.value)[0] as string,
                  ]),
                ),
              });
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    spans,
    raw,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let dir: string;
  let sandbox: Sandbox;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let service: ServiceProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-otel-'));
    const caFile = join(dir, 'sandbox-ca.pem');
    sandbox = await startSandbox({ users: 20, seed: 3, caFile });
    collector = await startCollector();
    service = await startService({
      sqlitePath: join(dir, 'sam.sqlite'),
      caFile,
      instanceId: 'traced',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'ledger-test',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await killAllServices();
    await sandbox?.stop();
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports server spans named after the route and client spans for the calls to Microsoft, with no secret', async () => {
    const created = await service.as('admin').post('/api/v1/profiles').send(sandbox.profileBody());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await service.as('admin').post(`/api/v1/profiles/${id}/validate`)).body.valid).toBe(true);
    await service.as('auditor').get(`/api/v1/profiles/${id}`).expect(200);
    await fetch(
      `${service.url}/api/v1/profiles/${id}/reclamations/6c5e2c43-9a3a-4f0e-9d1e-0d6c4b3a2f1e/keep?token=k1.secretsecret.zz.TOKENVALUE`,
      {
        method: 'POST',
      },
    );
    await fetch(`${service.url}/health/live`);

    const server = await waitFor('the server span of GET /api/v1/profiles/:id', async () =>
      collector.spans.find((s) => s.kind === SERVER && s.name === 'GET /api/v1/profiles/:id'),
    );
    expect(server.attributes['http.route']).toBe('/api/v1/profiles/:id');
    const sandboxPort = new URL(sandbox.url).port;
    const client = await waitFor('a client span to the sandbox (Entra, Graph)', async () =>
      collector.spans.find((s) => s.kind === CLIENT && String(s.attributes['server.port']) === sandboxPort),
    );
    expect(client.attributes['server.address']).toBe('127.0.0.1');
    await waitFor('the keep request span', async () =>
      collector.spans.find((s) => s.kind === SERVER && s.name.includes('/keep')),
    );

    await service.stop(); // flushes what is left
    const everything = collector.raw.join('\n');
    expect(everything).toContain('ledger-test');
    expect(everything).not.toContain('TOKENVALUE');
    expect(everything).not.toMatch(/client_secret=|Bearer /);
    expect(collector.spans.some((s) => s.name.includes('/health'))).toBe(false);
  });
});
