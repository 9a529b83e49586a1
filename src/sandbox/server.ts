import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { SandboxContext } from './context';
import { controlRoute, type ControlTarget } from './control.routes';
import { dataverseRouteNotFound, matchDataverseRoute } from './dataverse/dataverse.routes';
import { discoveryRouteNotFound, matchDiscoveryRoute } from './discovery/discovery.routes';
import { matchEntraRoute } from './entra/entra.routes';
import { faultReply, truncated } from './fault-replies';
import { FaultInjector } from './faults';
import { graphRouteNotFound, matchGraphRoute } from './graph/graph.routes';
import { jsonReply, type Reply, type SandboxRequest } from './http/reply';
import type { RouteFamily, RouteMatch } from './http/route';
import type { LatencyModel } from './latency';
import type { ServiceProtection } from './throttling';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Optional realism: latency per request and Microsoft's service protection limits (both off by default). */
export interface SandboxServerOptions {
  readonly latency?: LatencyModel;
  readonly protection?: ServiceProtection;
  /** How the latency is waited; tests pass one that records instead of waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One HTTPS listener for all three services, told apart by path prefix. Every request outside the
 * control API is counted by route and offered to the fault injector before its handler runs.
 */
export class SandboxServer {
  readonly faults = new FaultInjector();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly counts = new Map<string, number>();
  private readonly pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private context: SandboxContext | undefined;
  private control: ControlTarget | undefined;

  constructor(
    tls: { key: string; cert: string },
    private readonly options: SandboxServerOptions = {},
  ) {
    this.server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => void this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Routes need the origin, which is known only once the port is bound. */
  attach(context: SandboxContext, info: () => Record<string, unknown>): void {
    this.context = context;
    this.control = {
      context,
      faults: this.faults,
      requestCounts: () => this.requestCounts(),
      resetRequestCounts: () => this.counts.clear(),
      info,
    };
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetRequestCounts(): void {
    this.counts.clear();
  }

  /** Drops every connection, including ones a `timeout` fault holds open, then stops listening. */
  async close(): Promise<void> {
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.pending.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const context = this.context;
      if (!context || !this.control) return send(res, jsonReply(503, { error: 'starting' }));
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', context.origin);
      const request: SandboxRequest = {
        method: req.method ?? 'GET',
        url,
        path: url.pathname,
        headers: req.headers,
        body,
      };
      if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/'))
        return send(res, controlRoute(this.control, request));

      const family = familyOf(url.pathname);
      const match = matchRoute(family, context, request);
      const key = match?.key ?? `${request.method} (no route: ${family})`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);

      // Every request outside the control API pays its latency (a 429 too: it is a round trip), and
      // holds a Dataverse concurrency slot from arrival to answer.
      const admission = this.options.protection?.admit(family, request);
      try {
        const latencyMs = this.options.latency?.next();
        if (latencyMs !== undefined && latencyMs > 0)
          await (this.options.sleep ? this.options.sleep(latencyMs) : this.delay(latencyMs));
        if (admission?.reply) return send(res, admission.reply);
        await this.answer(req, res, context, family, request, match);
      } finally {
        admission?.release();
      }
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return send(res, jsonReply(413, { error: { code: 'RequestEntityTooLarge', message: error.message } }));
      process.stderr.write(`sandbox: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      send(
        res,
        jsonReply(500, {
          error: { code: 'InternalServerError', message: 'The sandbox failed to handle the request.' },
        }),
      );
    }
  }

  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    context: SandboxContext,
    family: RouteFamily,
    request: SandboxRequest,
    match: RouteMatch | undefined,
  ): Promise<void> {
    const url = request.url;
    const rule = this.faults.take(family, request.method, url.pathname + url.search);
    switch (rule?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'timeout':
        if (rule.delayMs === undefined) return;
        await this.delay(rule.delayMs);
        break;
      case 'slow':
        await this.delay(rule.delayMs ?? 1000);
        break;
      case 'throttle':
      case 'unavailable':
      case 'expire-token':
        return send(res, faultReply(context, family, rule, request));
      default:
        break;
    }
    const reply = match ? await match.handle() : notFound(family, request);
    send(res, rule?.kind === 'malformed' ? truncated(reply) : reply);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.pending.add(entry);
    });
  }
}

/** `/dynamics` is the primary environment, `/dynamics-<name>` the others. */
function familyOf(path: string): RouteFamily {
  if (path === '/graph' || path.startsWith('/graph/')) return 'graph';
  if (/^\/dynamics(-[a-z0-9]+)?(\/|$)/.test(path)) return 'dataverse';
  if (path === '/discovery' || path.startsWith('/discovery/')) return 'discovery';
  return 'token';
}

function matchRoute(family: RouteFamily, context: SandboxContext, request: SandboxRequest): RouteMatch | undefined {
  if (family === 'graph') return matchGraphRoute(context, request);
  if (family === 'dataverse') return matchDataverseRoute(context, request);
  if (family === 'discovery') return matchDiscoveryRoute(context, request);
  return matchEntraRoute(context, request);
}

function notFound(family: RouteFamily, request: SandboxRequest): Reply {
  if (family === 'graph') return graphRouteNotFound(request);
  if (family === 'dataverse') return dataverseRouteNotFound(request);
  if (family === 'discovery') return discoveryRouteNotFound(request);
  return jsonReply(404, {
    error: 'not_found',
    error_description: `No endpoint ${request.method} ${request.path} on the sandbox authority.`,
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
