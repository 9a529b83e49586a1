import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface TrustOptions {
  /** PEM certificates to trust besides Node's roots, e.g. the in-process sandbox's CA. */
  readonly extraCaPems?: readonly string[];
  /** Sockets kept open per host; Graph paging and Dataverse paging reuse them. */
  readonly maxSockets?: number;
  /** Used instead of process.env, for tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The CA list for outbound HTTPS, or undefined for "Node's default store as is".
 *
 * Passing `ca` to an agent replaces Node's default store rather than adding to it, and on
 * Node 20 `tls.rootCertificates` is only the bundled Mozilla list: the certificates Node
 * loaded from NODE_EXTRA_CA_CERTS are not in it (`tls.getCACertificates()` arrives in Node
 * 22.15). So when extra PEMs are given, the NODE_EXTRA_CA_CERTS file is read again here.
 */
export function trustedCaList(options: TrustOptions = {}): string[] | undefined {
  const extra = (options.extraCaPems ?? []).filter((pem) => pem.trim() !== '');
  if (extra.length === 0) return undefined;
  const env = options.env ?? process.env;
  return [...rootCertificates, ...extraCaFile(env['NODE_EXTRA_CA_CERTS']), ...extra];
}

/** Node only warns at start-up when the file is unreadable; doing the same here keeps the agent usable. */
function extraCaFile(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return [readFileSync(path, 'utf8')];
  } catch {
    return [];
  }
}

/**
 * How long an idle connection is kept (longer than any request's own timeout, so it never cuts
 * one short). With it set, Node's agent also honours a server's `Keep-Alive: timeout=N` and
 * drops an idle socket a second before that server would: without it, a request could go out on
 * a socket the server was closing at that moment, and a POST reset that way (Graph
 * assignLicense) cannot be retried, its outcome unknown, so a reclaim was recorded as failed.
 */
export const IDLE_SOCKET_MS = 60_000;

/** One keep-alive agent for every Entra, Graph and Dataverse call, so all share one trust decision. */
export function createTrustedAgent(options: TrustOptions = {}): Agent {
  const ca = trustedCaList(options);
  return new Agent({
    keepAlive: true,
    timeout: IDLE_SOCKET_MS,
    maxSockets: options.maxSockets ?? 16,
    ...(ca ? { ca } : {}),
  });
}
