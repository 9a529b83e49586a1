import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './address-policy';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to (the system resolver by default; tests give their own). */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** A webhook URL that passed every check, and the one address a delivery may connect to. */
export interface CheckedTarget {
  readonly url: URL;
  /** The host as the URL names it, without IPv6 brackets: the Host header and the TLS server name. */
  readonly host: string;
  /** Where to connect: the address checked (for an allow-listed host, the one resolved). */
  readonly pinned: ResolvedAddress;
}

export class WebhookRefused extends Error {
  override readonly name = 'WebhookRefused';
}

const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * The SSRF guard for notice webhooks (API.md "Webhooks and limits"). A webhook goes to a
 * customer's system on the internet: https only, to a host that neither is nor resolves to
 * a loopback, private, link-local, CGNAT, unique-local, multicast, reserved or metadata
 * address, unless the host is listed in SAM_ALLOWED_WEBHOOK_HOSTS (then http is allowed too).
 * `check` runs when the URL is saved and again before every delivery; the delivery connects
 * to the address checked (`pinned`), so a DNS answer that changes between the check and the
 * connection (rebinding) cannot send it inside.
 */
export class WebhookTargets {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowedHosts: readonly string[],
    private readonly resolve: HostResolver = systemResolver,
  ) {
    this.allowed = new Set(allowedHosts.map(normalizeHost));
  }

  /** What is wrong with the URL without asking DNS (cheap; for request validation), or null. */
  problemWithoutDns(raw: string): string | null {
    try {
      this.parse(raw);
      return null;
    } catch (error) {
      if (error instanceof WebhookRefused) return error.message;
      throw error;
    }
  }

  async check(raw: string): Promise<CheckedTarget> {
    const { url, host, allowed } = this.parse(raw);
    if (isIP(host)) return { url, host, pinned: { address: host, family: isIP(host) === 6 ? 6 : 4 } };
    const addresses = await this.lookup(host);
    // Every answer must be public: a name with one public and one private address could be sent either way.
    for (const { address } of allowed ? [] : addresses) {
      const kind = classifyAddress(address);
      if (kind) throw new WebhookRefused(`its host resolves to a ${describe(kind)} address (${address})`);
    }
    return { url, host, pinned: addresses[0]! };
  }

  private parse(raw: string): { url: URL; host: string; allowed: boolean } {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookRefused('must be an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookRefused('must use https');
    if (url.username || url.password) throw new WebhookRefused('must not carry credentials before the host');
    const host = normalizeHost(url.hostname);
    const allowed = this.allowed.has(host);
    if (url.protocol === 'http:' && !allowed)
      throw new WebhookRefused('must use https (http only for hosts in SAM_ALLOWED_WEBHOOK_HOSTS)');
    if (allowed) return { url, host, allowed };
    if (host === 'localhost' || host.endsWith('.localhost'))
      throw new WebhookRefused('its host is loopback (localhost); list it in SAM_ALLOWED_WEBHOOK_HOSTS to allow it');
    if (isIP(host)) {
      const kind = classifyAddress(host);
      if (kind)
        throw new WebhookRefused(
          `its host is a ${describe(kind)} address; list it in SAM_ALLOWED_WEBHOOK_HOSTS to allow it`,
        );
    } else if (!host.includes('.')) {
      // A single label only ever resolves through a local search domain: an internal name.
      throw new WebhookRefused('its host is not a fully qualified domain name');
    }
    return { url, host, allowed };
  }

  private async lookup(host: string): Promise<readonly ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const addresses = await Promise.race([
        this.resolve(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WebhookRefused('its host did not resolve in time')), RESOLVE_TIMEOUT_MS);
        }),
      ]);
      if (addresses.length === 0) throw new WebhookRefused('its host does not resolve');
      return addresses;
    } catch (error) {
      if (error instanceof WebhookRefused) throw error;
      throw new WebhookRefused(`its host does not resolve (${(error as { code?: string }).code ?? 'error'})`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Lower case, no IPv6 brackets, no trailing dot: `Hooks.Example.COM.` and `hooks.example.com` are one host. */
export const normalizeHost = (host: string): string =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

const describe = (kind: string): string => kind.replace(/-/g, ' ');
